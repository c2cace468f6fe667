namespace HostedPbx.Data.Entities;

/// <summary>
/// A key for the management API: a reseller's, or (with no reseller) the operator's. The secret is shown once; only its SHA-256 is kept (the secret is
/// 256 random bits, so a plain hash cannot be guessed back). The prefix finds the row without scanning hashes.
/// </summary>
public class ApiKey
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>The reseller the key acts for; null for an operator key.</summary>
    public Guid? ResellerId { get; set; }
    public Reseller? Reseller { get; set; }
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

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}
