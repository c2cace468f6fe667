using System.Security.Authentication;
using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Devices;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Devices;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace HostedPbx.Switch.Tests.Transport;

/// <summary>
/// The switch's TLS handshake with imported vendor CAs (real certificates, real TLS): an anchor speaks only for its
/// own vendor, so a Grandstream factory certificate carrying a Yealink handset's MAC is refused and audited.
/// </summary>
public sealed class VendorAnchorTlsTests : IDisposable
{
    private const string Mac = "0015651a2b3c";
    private readonly TestPki _pki = new();
    private readonly CertificateAuthority _grandstreamRoot;
    private readonly CertificateAuthority _grandstream;
    private readonly CancellationTokenSource _bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

    public VendorAnchorTlsTests()
    {
        _bound.CancelAfter(TimeSpan.FromSeconds(30));
        _grandstreamRoot = _pki.Issuer.CreateRoot();
        _grandstream = _pki.Issuer.CreateIntermediate(_grandstreamRoot);
    }

    [Fact]
    public async Task ServeAsync_GrandstreamCertificateForYealinkDevice_RefusedAndAudited()
    {
        using var certificate = _pki.Issuer.IssueDevice(_grandstream, MacAddress.Parse(Mac));
        var harness = new TransportHarness(_pki, Directory(DeviceVendor.Yealink), TimeProvider.System);

        try
        {
            await using var client = await harness.ConnectAsync(certificate, _bound.Token);
            // With TLS 1.3 the client finishes first and learns of the refusal on its next read.
            await TransportHarness.WriteAsync(client, TlsListenerTests.Options, _bound.Token);
            _ = await TransportHarness.ReadSomeAsync(client, _bound.Token);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
        }

        await harness.Served.WaitAsync(_bound.Token);
        Assert.Equal(0, harness.Connections.Count);
        Assert.True(harness.Audit.Reader.TryRead(out var audit));
        Assert.Equal(AuditOutcome.Denied, audit.Outcome);
        Assert.Contains("speaks for Grandstream, not for this Yealink device", audit.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeAsync_GrandstreamCertificateForGrandstreamDevice_Accepted()
    {
        using var certificate = _pki.Issuer.IssueDevice(_grandstream, MacAddress.Parse(Mac));
        var harness = new TransportHarness(_pki, Directory(DeviceVendor.Grandstream, FactorySerial.Normalize(certificate.SerialNumber)), TimeProvider.System);

        await using var client = await harness.ConnectAsync(certificate, _bound.Token);
        await TransportHarness.WriteAsync(client, TlsListenerTests.Options, _bound.Token);
        using var message = await harness.Handler.NextAsync(_bound.Token);

        Assert.Equal("Grandstream factory CA", Assert.Single(harness.Connections.All).Device.AnchorName);
    }

    [Fact]
    public async Task DirectoryLoadedAsTheSwitchRole_CarriesVendorsRangesAndRevocationsOfDeletedDevices()
    {
        await using var database = await PostgresFixture.OwnAsync("switch_vendor_anchors");
        var now = DateTimeOffset.UtcNow;
        using var yealinkCertificate = _pki.Issuer.IssueDevice(_grandstream, MacAddress.Parse(Mac));
        using var revokedCertificate = _pki.Issuer.IssueDevice(_grandstream, MacAddress.Parse("000b82000002"));
        await using (var owner = database.CreateOwnerContext())
        {
            var anchor = TrustAnchor.For(_grandstream.Certificate, TrustAnchorKind.Vendor, "Grandstream factory CA", now);
            anchor.Vendor = DeviceVendor.Grandstream;
            anchor.MacPrefixes = ["001565", "000b82"];
            owner.TrustAnchors.Add(anchor);
            await owner.SaveChangesAsync(TestContext.Current.CancellationToken);
            var yealink = await TestTenants.AddAsync(owner, "Alpha", Mac);
            var gone = await TestTenants.AddAsync(owner, "Bravo", "000b82000002");
            await owner.Devices.Where(d => d.Id == gone.Device.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(d => d.Vendor, DeviceVendor.Grandstream), TestContext.Current.CancellationToken);
            owner.DeviceCertificates.Add(new DeviceCertificate
            {
                TenantId = gone.Tenant.Id, DeviceId = gone.Device.Id, IssuerId = anchor.Id, Serial = revokedCertificate.SerialNumber,
                Fingerprint = revokedCertificate.Fingerprint, Subject = revokedCertificate.Certificate.Subject, Mac = "000b82000002",
                NotBefore = now.AddDays(-1), NotAfter = now.AddYears(1), CertificateDer = revokedCertificate.Certificate.RawData, CreatedAt = now,
                RevokedAt = now, RevocationReason = RevocationReason.KeyCompromise,
            });
            await owner.SaveChangesAsync(TestContext.Current.CancellationToken);
            // The device goes (its certificates with it) and comes back under the same MAC, not enrolled.
            await owner.Devices.Where(d => d.Id == gone.Device.Id).ExecuteDeleteAsync(TestContext.Current.CancellationToken);
            owner.Devices.Add(new Device { TenantId = gone.Tenant.Id, Mac = "000b82000002", Vendor = DeviceVendor.Grandstream, Model = "GRP", CreatedAt = now });
            await owner.SaveChangesAsync(TestContext.Current.CancellationToken);
            Assert.NotNull(yealink);
        }

        var directory = await new DeviceDirectoryLoader(new PooledDbContextFactory<PbxDbContext>(
            database.SwitchOptions)).LoadAsync(TestContext.Current.CancellationToken);
        var authenticator = new DeviceAuthenticator(TimeProvider.System);

        var wrongVendor = authenticator.Authenticate(yealinkCertificate.Certificate, [.. yealinkCertificate.Issuers], directory);
        var revoked = authenticator.Authenticate(revokedCertificate.Certificate, [.. revokedCertificate.Issuers], directory);

        Assert.Contains("speaks for Grandstream, not for this Yealink device", wrongVendor.Refusal, StringComparison.Ordinal);
        Assert.Contains("Revoked", revoked.Refusal, StringComparison.Ordinal);
        Assert.Equal(["001565", "000b82"], directory.Anchors.Single().MacPrefixes);
    }

    public void Dispose()
    {
        _bound.Dispose();
        _grandstream.Dispose();
        _grandstreamRoot.Dispose();
        _pki.Dispose();
    }

    private DeviceDirectory Directory(DeviceVendor deviceVendor, string? factorySerial = null) => new(
        [
            new DirectoryAnchor("Grandstream factory CA", _grandstream.Certificate, MacLocation.SanUri, IsVendor: true, DeviceVendor.Grandstream),
            new DirectoryAnchor("Platform device CA", _pki.DeviceCa.Certificate, MacLocation.SanUri, IsVendor: false),
        ],
        RevokedSerials.None,
        [TestPki.Device(Mac) with { Vendor = deviceVendor, FactorySerial = factorySerial }]);
}
