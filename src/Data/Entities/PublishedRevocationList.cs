namespace HostedPbx.Data.Entities;

/// <summary>
/// The newest CRL signed for a platform CA, served as it is until it must be refreshed. Platform-wide, one row per
/// issuing CA; its number grows by one with each CRL signed (RFC 5280 §5.2.3).
/// </summary>
public class PublishedRevocationList
{
    public Guid IssuerId { get; set; }
    public TrustAnchor? Issuer { get; set; }
    public long Number { get; set; }
    public DateTimeOffset ThisUpdate { get; set; }
    public DateTimeOffset NextUpdate { get; set; }
    /// <summary>The newest revocation it lists; a later revocation makes it stale.</summary>
    public DateTimeOffset? NewestRevocationAt { get; set; }
    public required byte[] Der { get; set; }
}
