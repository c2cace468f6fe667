using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace HostedPbx.Web.Jobs;

/// <summary>Hands one message to the SMTP relay (MailKit), over STARTTLS unless configured off; a new connection per message.</summary>
public sealed class VoicemailMailer(IOptions<VoicemailMailOptions> options)
{
    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        var smtp = options.Value;
        using var client = new SmtpClient();
        if (!string.IsNullOrWhiteSpace(smtp.CaCertificatePath))
        {
            var anchor = X509CertificateLoader.LoadCertificateFromFile(smtp.CaCertificatePath);
            client.ServerCertificateValidationCallback = (_, certificate, _, errors) => IsVouchedFor(certificate, errors, anchor);
        }

        // RFC 3207: STARTTLS is required, not opportunistic; a relay that does not offer it fails the send (and the job retries).
        await client.ConnectAsync(smtp.Host!, smtp.Port, smtp.UseStartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, ct);
        if (!string.IsNullOrEmpty(smtp.Username))
        {
            await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", ct);
        }

        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
    }

    /// <summary>The relay's certificate must name the host and chain to the configured CA alone.</summary>
    private static bool IsVouchedFor(X509Certificate? presented, SslPolicyErrors errors, X509Certificate2 anchor)
    {
        if (presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var certificate = new X509Certificate2(presented);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(anchor);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
