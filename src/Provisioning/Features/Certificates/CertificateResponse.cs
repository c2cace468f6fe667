using System.Linq.Expressions;
using HostedPbx.Data.Entities;

namespace HostedPbx.Provisioning.Features.Certificates;

public sealed record CertificateResponse(Guid Id, Guid DeviceId, string Serial, string Fingerprint, string Subject, string Mac,
    DateTimeOffset NotBefore, DateTimeOffset NotAfter, CertificateSource Source, string Issuer, DateTimeOffset? RevokedAt,
    RevocationReason? RevocationReason, bool KeyAwaitingDownload)
{
    public static readonly Expression<Func<DeviceCertificate, CertificateResponse>> Projection = c => new CertificateResponse(c.Id,
        c.DeviceId, c.Serial, c.Fingerprint, c.Subject, c.Mac, c.NotBefore, c.NotAfter, c.Source, c.Issuer!.Name, c.RevokedAt,
        c.RevocationReason, c.ProtectedPrivateKey != null);
}
