namespace HostedPbx.Data.Entities;

/// <summary>
/// A key for the management API: a reseller's, the operator's (no reseller, no user), or a compliance officer's personal key
/// (a user and their tenant, no reseller: it reaches only that tenant's recordings and dies with the user's role). The secret is shown once; only its SHA-256 is kept (the secret is
/// 256 random bits, so a plain hash cannot be guessed back). The prefix finds the row without scanning hashes.
/// </summary>
public class ApiKey
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>The reseller the key acts for; null for an operator key.</summary>
    public Guid? ResellerId { get; set; }
    public Reseller? Reseller { get; set; }
    /// <summary>The compliance officer a personal key belongs to; null for a reseller's or the operator's key.</summary>
    public Guid? UserId { get; set; }
    public PortalUser? User { get; set; }
    /// <summary>The officer's tenant, fixed when the key is made (a personal key never follows its user elsewhere).</summary>
    public Guid? TenantId { get; set; }
    public required string Name { get; set; }
    public required string Prefix { get; set; }
    public required byte[] SecretHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public bool IsActive => RevokedAt is null;

    /// <summary>A new key and its secret, which the caller shows once and never stores.</summary>
    public static (ApiKey Key, Security.ApiKeySecret Secret) Create(Guid? resellerId, string name, DateTimeOffset now)
    {
        var secret = Security.ApiKeySecret.Create();
        return (new ApiKey { ResellerId = resellerId, Name = name.Trim(), Prefix = secret.Prefix, SecretHash = secret.Hash, CreatedAt = now }, secret);
    }

    /// <summary>A compliance officer's personal key for their tenant's recordings, and its secret (shown once).</summary>
    public static (ApiKey Key, Security.ApiKeySecret Secret) CreatePersonal(Guid userId, Guid tenantId, string name, DateTimeOffset now)
    {
        var secret = Security.ApiKeySecret.Create();
        return (new ApiKey { UserId = userId, TenantId = tenantId, Name = name.Trim(), Prefix = secret.Prefix, SecretHash = secret.Hash, CreatedAt = now }, secret);
    }

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}
