using Microsoft.AspNetCore.DataProtection;

namespace HostedPbx.Data.Certificates;

/// <summary>Short-lived, tamper-proof download tokens for a certificate's key (the key itself is downloadable once).</summary>
public sealed class DownloadLinks(IDataProtectionProvider provider)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private readonly ITimeLimitedDataProtector _protector = provider.CreateProtector("certificate-download").ToTimeLimitedDataProtector();

    /// <summary>The password a PKCS#12 download is sealed with (shown beside its link); none for PEM.</summary>
    public static string? NewPassword(DownloadFormat format) =>
        format == DownloadFormat.Pem ? null : System.Security.Cryptography.RandomNumberGenerator.GetString("abcdefghjkmnpqrstuvwxyz23456789", 16);

    public string Create(Guid certificateId, string format, string password) =>
        _protector.Protect($"{certificateId:N}|{format}|{password}", Lifetime);

    public bool TryRead(string token, out Guid certificateId, out string format, out string password)
    {
        (certificateId, format, password) = (Guid.Empty, "", "");
        try
        {
            var parts = _protector.Unprotect(token).Split('|');
            if (parts.Length != 3 || !Guid.TryParse(parts[0], out certificateId))
            {
                return false;
            }

            (format, password) = (parts[1], parts[2]);
            return true;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }
}
