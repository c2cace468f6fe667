using System.Net;
using Microsoft.Extensions.Options;

namespace HostedPbx.Switch;

/// <summary>Checks what attributes cannot: the SIP listen address parses, and the TLS certificate and key files can be read.</summary>
internal sealed class ValidateSwitchOptions : IValidateOptions<SwitchOptions>
{
    public ValidateOptionsResult Validate(string? name, SwitchOptions options)
    {
        if (!IPEndPoint.TryParse(options.SipListen, out var endpoint) || endpoint.Port is <= 0 or > 65535)
        {
            return ValidateOptionsResult.Fail($"Switch:SipListen '{options.SipListen}' is not a valid ip:port.");
        }

        if (string.IsNullOrWhiteSpace(options.ResolvedCertificatePath) || string.IsNullOrWhiteSpace(options.ResolvedPrivateKeyPath))
        {
            return ValidateOptionsResult.Fail("Switch:CertificatePath and Switch:PrivateKeyPath must name the switch's TLS certificate and key (PEM files).");
        }

        foreach (var (setting, path) in new[] { ("Switch:CertificatePath", options.ResolvedCertificatePath), ("Switch:PrivateKeyPath", options.ResolvedPrivateKeyPath) })
        {
            try
            {
                using var stream = File.OpenRead(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return ValidateOptionsResult.Fail($"{setting} '{path}' cannot be read: {ex.Message}");
            }
        }

        return ValidateOptionsResult.Success;
    }
}
