using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Certificates;

namespace HostedPbx.Switch.Devices;

/// <summary>
/// The switch's side of <see cref="HandsetTrust"/> (DESIGN "Identity of a handset", steps 2-4): runs the one rule on the
/// <see cref="DeviceDirectory"/> snapshot and never does I/O, so it can run inside the TLS handshake callback.
/// </summary>
internal sealed class DeviceAuthenticator(TimeProvider time)
{
    public DeviceAuthentication Authenticate(X509Certificate2? certificate, IEnumerable<X509Certificate2>? presented, DeviceDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var decision = HandsetTrust.Decide(directory.Trust, certificate, presented, time.GetUtcNow());
        if (!decision.IsAccepted)
        {
            return DeviceAuthentication.Refused(decision.Refusal, decision.Mac);
        }

        directory.TryFindDevice(decision.Mac, out var device);
        return new DeviceAuthentication(
            new DeviceIdentity(device.Id, device.TenantId, decision.Mac, decision.Fingerprint, certificate!.Subject, decision.Anchor.Name, device.Extensions),
            null, decision.Mac);
    }
}
