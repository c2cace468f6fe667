using System.Text;
using HostedPbx.Switch.Devices;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Sip.Transport;

namespace HostedPbx.Switch.Sip.Registrar;

internal sealed partial class Registrar
{
    private readonly DigestAuthenticator _digest = new(time);

    // Returns null when the credentials hold; otherwise the 401 to send (RFC 3261 §22.2).
    private SipResponse? Challenge(SipFlow flow, SipRequest request, DirectoryExtension extension, string toTag)
    {
        if (request.TryGetHeader(KnownHeader.Authorization, out var header)
            && ParseCredentials(Encoding.UTF8.GetString(header)) is { } credentials
            && credentials.GetValueOrDefault("username") == extension.Number
            && credentials.GetValueOrDefault("realm") == DigestAuthenticator.Realm
            && _digest.Verify(credentials, request.MethodName, extension.Ha1Sha256, extension.Ha1Md5))
        {
            return null;
        }

        if (request.TryGetHeader(KnownHeader.Authorization, out _))
        {
            audit.Denied("sip.register", "digest credentials did not verify", flow.Device.TenantId, flow.Device.Mac, flow.Device.DeviceId.ToString(), flow.Remote.Address);
        }

        SwitchLog.DigestChallenged(logger, extension.Number);
        return SipResponses.Create(request, SipStatusCodes.Unauthorized, toTag, DigestAuthenticator.Challenges(_digest.CreateNonce()));
    }

    // credentials = "Digest" LWS digest-response *(COMMA digest-response)   (RFC 3261 §25.1)
    internal static Dictionary<string, string>? ParseCredentials(string value)
    {
        value = value.Trim();
        if (!value.StartsWith("Digest ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var rest = value.AsSpan(7);
        while (!rest.IsEmpty)
        {
            rest = rest.TrimStart(" ,\t");
            var equals = rest.IndexOf('=');
            if (equals <= 0)
            {
                break;
            }

            var name = rest[..equals].Trim().ToString();
            rest = rest[(equals + 1)..].TrimStart();
            string item;
            if (rest.StartsWith("\""))
            {
                var close = rest[1..].IndexOf('"');
                if (close < 0)
                {
                    return null;
                }

                item = rest.Slice(1, close).ToString();
                rest = rest[(close + 2)..];
            }
            else
            {
                var comma = rest.IndexOf(',');
                item = (comma < 0 ? rest : rest[..comma]).Trim().ToString();
                rest = comma < 0 ? [] : rest[comma..];
            }

            result[name] = item;
        }

        return result;
    }
}
