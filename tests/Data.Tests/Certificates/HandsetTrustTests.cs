using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Devices;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Tests.Certificates.Support;

namespace HostedPbx.Data.Tests.Certificates;

/// <summary>
/// The one rule for handsets, with real certificates: an anchor speaks only for its own vendor and MAC ranges, the
/// platform CA only for the devices it enrolled, and a chain through a certificate that is no CA holds nothing up.
/// </summary>
public sealed class HandsetTrustTests : IDisposable
{
    private static readonly DateTimeOffset s_now = TestPki.Start.AddDays(1);
    private readonly TestPki _grandstream = Vendor("Grandstream Networks");
    private readonly TestPki _yealink = Vendor("Yealink Network Technology");
    private readonly TestPki _platform = new();

    [Fact]
    public void Decide_GrandstreamAnchorForYealinkDevice_Refused()
    {
        using var certificate = _grandstream.Issuer.IssueDevice(_grandstream.DeviceCa, TestPki.Mac);
        var snapshot = Snapshot(Device(DeviceVendor.Yealink), GrandstreamAnchor(), YealinkAnchor());

        var decision = HandsetTrust.Decide(snapshot, certificate.Certificate, certificate.Issuers, s_now);

        Assert.False(decision.IsAccepted);
        Assert.Contains("speaks for Grandstream, not for this Yealink device", decision.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_GrandstreamAnchorForGrandstreamDevice_AcceptedForEnrolment()
    {
        using var certificate = _grandstream.Issuer.IssueDevice(_grandstream.DeviceCa, TestPki.Mac);
        var device = Device(DeviceVendor.Grandstream) with { FactorySerial = FactorySerial.Normalize(certificate.SerialNumber) };

        var decision = HandsetTrust.Decide(Snapshot(device, GrandstreamAnchor(), YealinkAnchor()), certificate.Certificate, certificate.Issuers, s_now);

        Assert.True(decision.IsAccepted, decision.Refusal);
        Assert.Same(device, decision.Device);
        Assert.Equal("Grandstream CA", decision.Anchor.Name);
        Assert.Equal(certificate.Fingerprint, decision.Fingerprint);
    }

    [Theory]
    [InlineData("001565", true)]
    [InlineData("0015651", true)]
    [InlineData("c074ad", false)]
    [InlineData("0015652", false)]
    public void Decide_AnchorWithMacRanges_AcceptsOnlyMacsInThem(string prefix, bool accepted)
    {
        using var certificate = _grandstream.Issuer.IssueDevice(_grandstream.DeviceCa, TestPki.Mac);
        var anchor = GrandstreamAnchor() with { MacPrefixes = ["ec74d7", prefix] };

        var device = Device(DeviceVendor.Grandstream) with { FactorySerial = FactorySerial.Normalize(certificate.SerialNumber) };

        var decision = HandsetTrust.Decide(Snapshot(device, anchor), certificate.Certificate, certificate.Issuers, s_now);

        Assert.Equal(accepted, decision.IsAccepted);
        Assert.True(accepted || decision.Refusal!.Contains("outside the ranges", StringComparison.Ordinal), decision.Refusal);
    }

    [Theory]
    [InlineData(null, "no factory serial")]
    [InlineData("7f", "not the one on record")]
    public void Decide_FactoryCertificateForClaimWithoutItsSerial_NotEnrolled(string? claimedSerial, string reason)
    {
        using var certificate = _grandstream.Issuer.IssueDevice(_grandstream.DeviceCa, TestPki.Mac);
        var device = Device(DeviceVendor.Grandstream) with { FactorySerial = claimedSerial };

        var decision = HandsetTrust.Decide(Snapshot(device, GrandstreamAnchor()), certificate.Certificate, certificate.Issuers, s_now);

        Assert.False(decision.IsAccepted);
        Assert.Contains(reason, decision.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_PlatformCertificateForDeviceNotEnrolledWithIt_Refused()
    {
        using var certificate = _platform.Issuer.IssueDevice(_platform.DeviceCa, TestPki.Mac);
        using var other = _platform.Issuer.IssueDevice(_platform.DeviceCa, TestPki.Mac);
        var anchor = new HandsetAnchor("Platform device CA", _platform.DeviceCa.Certificate, TrustAnchorKind.PlatformDeviceIssuer, null, MacLocation.SanUri, []);

        var unenrolled = HandsetTrust.Decide(Snapshot(Device(DeviceVendor.Yealink), anchor), certificate.Certificate, null, s_now);
        var enrolledOther = HandsetTrust.Decide(Snapshot(Device(DeviceVendor.Yealink) with { EnrolledFingerprint = other.Fingerprint }, anchor),
            certificate.Certificate, null, s_now);
        var enrolled = HandsetTrust.Decide(Snapshot(Device(DeviceVendor.Yealink) with { EnrolledFingerprint = certificate.Fingerprint }, anchor),
            certificate.Certificate, null, s_now);

        Assert.Contains("never enrolled", unenrolled.Refusal, StringComparison.Ordinal);
        Assert.Contains("not the one enrolled", enrolledOther.Refusal, StringComparison.Ordinal);
        Assert.True(enrolled.IsAccepted, enrolled.Refusal);
    }

    [Fact]
    public void Decide_PlatformRootAsAnchor_VouchesForNoHandset()
    {
        using var certificate = _platform.Issuer.IssueDevice(_platform.DeviceCa, TestPki.Mac);
        var root = new HandsetAnchor("Platform root", _platform.Root.Certificate, TrustAnchorKind.PlatformRoot, null, MacLocation.SanUri, []);

        var decision = HandsetTrust.Decide(Snapshot(Device(DeviceVendor.Yealink) with { EnrolledFingerprint = certificate.Fingerprint }, root),
            certificate.Certificate, certificate.Issuers, s_now);

        Assert.Contains("UntrustedIssuer", decision.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_LeafSignedByNonCaLeafUnderIntermediateAnchor_Refused()
    {
        // The vendor's intermediate is the anchor; its real handset certificate (no CA) signs a second "handset".
        using var handset = _yealink.Issuer.IssueDevice(_yealink.DeviceCa, MacAddress.Parse("001565aabbcc"));
        using var forged = RawCertificates.SignedBy(handset.Certificate, TestPki.Start, TestPki.Start.AddDays(30));
        var anchor = YealinkAnchor() with { MacLocation = MacLocation.SubjectCommonName };
        var device = new HandsetOnRecord(Guid.CreateVersion7(), Guid.CreateVersion7(), "001565aabbcc", DeviceVendor.Yealink, true, true, null, null,
            FactorySerial.Normalize(handset.SerialNumber));
        X509Certificate2[][] sentChains = [[handset.Certificate], [handset.Certificate, _yealink.DeviceCa.Certificate],
            [handset.Certificate, _yealink.DeviceCa.Certificate, _yealink.Root.Certificate]];

        foreach (var sent in sentChains)
        {
            var decision = HandsetTrust.Decide(Snapshot(device, anchor), forged, sent, s_now);

            Assert.False(decision.IsAccepted, $"{sent.Length} sent");
            Assert.StartsWith("certificate refused:", decision.Refusal, StringComparison.Ordinal);
        }

        // The handset's own certificate under the same anchor is accepted: the refusal above is the chain's.
        Assert.True(HandsetTrust.Decide(Snapshot(device, anchor), handset.Certificate, null, s_now).IsAccepted);
    }

    public void Dispose()
    {
        _grandstream.Dispose();
        _yealink.Dispose();
        _platform.Dispose();
    }

    private HandsetAnchor GrandstreamAnchor() =>
        new("Grandstream CA", _grandstream.DeviceCa.Certificate, TrustAnchorKind.Vendor, DeviceVendor.Grandstream, MacLocation.SanUri, []);

    private HandsetAnchor YealinkAnchor() =>
        new("Yealink CA", _yealink.DeviceCa.Certificate, TrustAnchorKind.Vendor, DeviceVendor.Yealink, MacLocation.SanUri, []);

    private static HandsetOnRecord Device(DeviceVendor vendor) =>
        new(Guid.CreateVersion7(), Guid.CreateVersion7(), TestPki.Mac.ToString(), vendor, true, true, null, null);

    private static HandsetTrustSnapshot Snapshot(HandsetOnRecord device, params HandsetAnchor[] anchors) =>
        new(anchors, RevokedSerials.None, mac => mac == device.Mac ? device : null);

    private static TestPki Vendor(string organization) => new(o =>
    {
        o.Organization = organization;
        o.RootCommonName = organization + " Root CA";
        o.DeviceCaCommonName = organization + " Device CA";
    });
}
