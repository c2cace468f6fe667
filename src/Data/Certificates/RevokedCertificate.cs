using System.Security.Cryptography.X509Certificates;

namespace HostedPbx.Data.Certificates;

/// <summary>One CRL entry. <paramref name="SerialNumber"/> is big-endian hex, as <see cref="CertificateIdentity.SerialNumber"/> gives it.</summary>
public sealed record RevokedCertificate(string SerialNumber, DateTimeOffset RevokedAt, X509RevocationReason? Reason = null);
