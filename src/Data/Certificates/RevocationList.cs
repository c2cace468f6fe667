using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HostedPbx.Data.Certificates;

/// <summary>
/// The device CA's CRL. The one signed last is kept in the database and served as it is while it is current: until
/// a revocation newer than it, or until less than <see cref="CertificateAuthorityOptions.CrlRefreshHours"/> of its
/// validity is left. Then a fresh one is signed with the next CRL number (RFC 5280 §5.2.3: numbers only grow).
/// </summary>
public sealed class RevocationList(CertificateIssuer issuer, PlatformAuthority authority, IOptions<CertificateAuthorityOptions> options,
    TimeProvider time)
{
    /// <summary>The current CRL, signing a fresh one only when the published one is stale. The context needs the platform's scope.</summary>
    public async Task<byte[]> CurrentAsync(PbxDbContext db, CancellationToken cancellationToken)
    {
        var (anchorId, newest) = await NewestRevocationAsync(db, cancellationToken);
        var published = await db.PublishedRevocationLists.AsNoTracking().SingleOrDefaultAsync(l => l.IssuerId == anchorId, cancellationToken);
        if (published is not null && published.NewestRevocationAt == newest
            && published.NextUpdate - time.GetUtcNow() > TimeSpan.FromHours(options.Value.CrlRefreshHours))
        {
            return published.Der;
        }

        return await PublishAsync(db, cancellationToken);
    }

    /// <summary>Signs a fresh CRL from the revocations on record and keeps it as the published one.</summary>
    public async Task<byte[]> PublishAsync(PbxDbContext db, CancellationToken cancellationToken)
    {
        var (ca, anchor) = await authority.LoadDeviceIssuerAsync(db, cancellationToken);
        using (ca)
        {
            // From the kept revocations, so a certificate stays listed when its device is gone (RFC 5280 §3.3: until it expires).
            var revoked = await db.CertificateRevocations.AsNoTracking().Where(r => r.IssuerId == anchor.Id)
                .Select(r => new { r.Serial, r.RevokedAt, RevocationReason = r.Reason }).ToListAsync(cancellationToken);
            var published = await db.PublishedRevocationLists.SingleOrDefaultAsync(l => l.IssuerId == anchor.Id, cancellationToken);
            if (published is null)
            {
                published = new PublishedRevocationList { IssuerId = anchor.Id, Der = [] };
                db.PublishedRevocationLists.Add(published);
            }

            published.Number++;
            published.Der = issuer.BuildRevocationList(ca,
                revoked.Select(r => new RevokedCertificate(r.Serial, r.RevokedAt, Reason(r.RevocationReason))), new BigInteger(published.Number));
            published.ThisUpdate = time.GetUtcNow();
            published.NextUpdate = published.ThisUpdate.AddHours(options.Value.CrlValidityHours);
            published.NewestRevocationAt = revoked.Count == 0 ? null : revoked.Max(r => r.RevokedAt);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another part published at the same moment: its CRL, of the same data, is as good as ours.
                db.ChangeTracker.Clear();
                return (await db.PublishedRevocationLists.AsNoTracking().SingleAsync(l => l.IssuerId == anchor.Id, cancellationToken)).Der;
            }

            return published.Der;
        }
    }

    private static async Task<(Guid AnchorId, DateTimeOffset? Newest)> NewestRevocationAsync(PbxDbContext db, CancellationToken cancellationToken)
    {
        var anchorId = await db.TrustAnchors.Where(a => a.Kind == TrustAnchorKind.PlatformDeviceIssuer && a.Enabled)
            .Select(a => a.Id).SingleAsync(cancellationToken);
        var newest = await db.CertificateRevocations.Where(r => r.IssuerId == anchorId).MaxAsync(r => (DateTimeOffset?)r.RevokedAt, cancellationToken);
        return (anchorId, newest);
    }

    private static X509RevocationReason? Reason(RevocationReason? reason) => reason switch
    {
        RevocationReason.KeyCompromise => X509RevocationReason.KeyCompromise,
        RevocationReason.Superseded => X509RevocationReason.Superseded,
        RevocationReason.CessationOfOperation => X509RevocationReason.CessationOfOperation,
        RevocationReason.AffiliationChanged => X509RevocationReason.AffiliationChanged,
        RevocationReason.Unspecified or null => null,
    };
}
