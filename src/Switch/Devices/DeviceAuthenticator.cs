using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Certificates;

namespace HostedPbx.Switch.Devices;

/// <summary>
/// Decides whether a client certificate is a handset of ours (DESIGN "Identity of a handset", steps 2-4). Pure: it reads a
/// <see cref="DeviceDirectory"/> snapshot and never does I/O, so it can run inside the TLS handshake callback.
/// </summary>
internal sealed class DeviceAuthenticator(TimeProvider time)
{
    private readonly ClientCertificateValidator _validator = new(time);

    public DeviceAuthentication Authenticate(X509Certificate2? certificate, IEnumerable<X509Certificate2>? presented, DeviceDirectory directory)
    {
        if (certificate is null)
        {
            return DeviceAuthentication.Refused("no client certificate");
        }

        var anchors = directory.Anchors.Select(a => a.Certificate).ToArray();
        var result = _validator.Validate(certificate, presented, anchors, directory.Revocations);
        if (!result.IsTrusted)
        {
            return DeviceAuthentication.Refused($"certificate refused: {result.Refusal}");
        }

        var anchor = directory.Anchors.First(a => a.Certificate.RawDataMemory.Span.SequenceEqual(result.Anchor.RawDataMemory.Span));
        if (!CertificateMacReader.TryRead(certificate, anchor.MacLocation, out var macAddress))
        {
            return DeviceAuthentication.Refused($"no MAC at {anchor.MacLocation} in a certificate from '{anchor.Name}'");
        }

        var mac = macAddress.ToString();
        var fingerprint = CertificateIdentity.Sha256Fingerprint(certificate);
        if (!directory.TryFindDevice(mac, out var device))
        {
            return DeviceAuthentication.Refused("no device with this MAC", mac);
        }

        if (!device.IsActive || !device.TenantIsActive)
        {
            return DeviceAuthentication.Refused(device.IsActive ? "tenant not active" : "device not active", mac);
        }

        if (device.EnrolledFingerprint is null && !anchor.IsVendor)
        {
            return DeviceAuthentication.Refused("platform certificate was never enrolled for this device", mac);
        }

        // DESIGN step 4: once enrolled, only the certificate on record (or the renewal the platform issued for it);
        // a second valid one for the same MAC is refused.
        if (device.EnrolledFingerprint is not null && !string.Equals(device.EnrolledFingerprint, fingerprint, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(device.RenewalFingerprint, fingerprint, StringComparison.OrdinalIgnoreCase))
        {
            return DeviceAuthentication.Refused("certificate is not the one enrolled for this device", mac);
        }

        return new DeviceAuthentication(
            new DeviceIdentity(device.Id, device.TenantId, mac, fingerprint, certificate.Subject, anchor.Name, device.Extensions), null, mac);
    }
}
