using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Entities;

namespace HostedPbx.Data.Certificates;

/// <summary>
/// The one rule that decides whether a client certificate is a handset of ours (shared/DESIGN.md, "Identity of a
/// handset", steps 2-4), for the switch and for provisioning alike. Pure: it reads a snapshot and does no I/O, so the
/// switch can run it inside a TLS handshake and again for every open connection when its directory changes.
/// </summary>
public static class HandsetTrust
{
    /// <param name="snapshot">Anchors, revocations and devices, as the caller last read them.</param>
    /// <param name="leaf">The certificate the client presented, or null if it sent none.</param>
    /// <param name="chain">Other certificates the client sent.</param>
    /// <param name="now">The time the certificates' validity is judged at.</param>
    public static HandsetTrustDecision Decide(HandsetTrustSnapshot snapshot, X509Certificate2? leaf, IEnumerable<X509Certificate2>? chain,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (leaf is null)
        {
            return HandsetTrustDecision.Refused("no client certificate");
        }

        // The platform root signs servers and the device issuer, never a handset directly.
        var anchors = snapshot.Anchors.Where(a => a.Kind != TrustAnchorKind.PlatformRoot).ToArray();
        var certificates = anchors.Select(a => a.Certificate).ToArray();
        var result = ClientCertificateValidator.ValidateAt(leaf, chain, certificates, snapshot.Revocations, now.UtcDateTime);
        if (!result.IsTrusted)
        {
            return HandsetTrustDecision.Refused($"certificate refused: {result.Refusal}");
        }

        var anchor = anchors[Array.IndexOf(certificates, result.Anchor)];
        if (!CertificateMacReader.TryRead(leaf, anchor.MacLocation, out var macAddress))
        {
            return HandsetTrustDecision.Refused($"no MAC at {anchor.MacLocation} in a certificate from '{anchor.Name}'");
        }

        var mac = macAddress.ToString();
        if (anchor.Kind == TrustAnchorKind.Vendor && !anchor.Covers(mac))
        {
            return HandsetTrustDecision.Refused($"MAC {mac} is outside the ranges anchor '{anchor.Name}' speaks for", mac);
        }

        if (snapshot.FindDevice(mac) is not { } device)
        {
            return HandsetTrustDecision.Refused("no device with this MAC", mac);
        }

        if (!device.IsActive || !device.TenantIsActive)
        {
            return HandsetTrustDecision.Refused(device.IsActive ? "tenant not active" : "device not active", mac);
        }

        // An anchor speaks only for its own vendor: a Grandstream CA never vouches for a Yealink handset.
        if (anchor.Kind == TrustAnchorKind.Vendor && anchor.Vendor != device.Vendor)
        {
            return HandsetTrustDecision.Refused($"anchor '{anchor.Name}' speaks for {anchor.Vendor}, not for this {device.Vendor} device", mac);
        }

        // The platform CA speaks only for the devices it issued for: those enrolled with its certificate (or its renewal).
        var fingerprint = CertificateIdentity.Sha256Fingerprint(leaf);
        if (device.EnrolledFingerprint is null && anchor.Kind != TrustAnchorKind.Vendor)
        {
            return HandsetTrustDecision.Refused("platform certificate was never enrolled for this device", mac);
        }

        // DESIGN step 4: once enrolled, only the certificate on record (or the renewal the platform issued for it);
        // a second valid one for the same MAC is refused.
        if (device.EnrolledFingerprint is not null && !Same(device.EnrolledFingerprint, fingerprint) && !Same(device.RenewalFingerprint, fingerprint))
        {
            return HandsetTrustDecision.Refused("certificate is not the one enrolled for this device", mac);
        }

        // DESIGN step 4: a factory certificate enrols on first use only for a claim its tenant proved with a second fact
        // from the box (the certificate's serial number), so typing a MAC from someone else's box label gains nothing.
        if (device.EnrolledFingerprint is null
            && (device.FactorySerial is null || !Same(device.FactorySerial, FactorySerial.Normalize(CertificateIdentity.SerialNumber(leaf)) ?? "")))
        {
            return HandsetTrustDecision.Refused(device.FactorySerial is null
                ? "claim not proved: no factory serial on record for this device"
                : "claim not proved: the certificate's serial is not the one on record", mac);
        }

        return new HandsetTrustDecision(device, anchor, mac, fingerprint, null);
    }

    private static bool Same(string? a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
