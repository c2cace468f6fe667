using System.Net;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Devices;
using HostedPbx.Data.Entities;
using HostedPbx.Provisioning.Tests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Provisioning.Tests.Handsets;

/// <summary>
/// /provision/ over real mutual TLS with imported vendor CAs: an anchor speaks only for its own vendor and its MAC
/// ranges, so Grandstream's factory CA cannot make anyone a Yealink handset.
/// </summary>
public sealed class VendorAnchorTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pbx-vendor-").FullName;
    private readonly KeyProtector _protector = KeyProtector.FromBase64(ProvisioningFactory.MasterKey);
    private readonly CertificateIssuer _issuer = new(Options.Create(new CertificateAuthorityOptions()), TimeProvider.System);
    private TlsProvisioningServer _server = null!;
    private CertificateAuthority _root = null!;
    private CertificateAuthority _grandstreamRoot = null!;
    private CertificateAuthority _grandstream = null!;
    private TestTenants.Arranged _yealinkDevice = null!;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        await using var owner = database.CreateOwnerContext();
        var authority = new PlatformAuthority(new CertificateIssuer(Options.Create(new CertificateAuthorityOptions()),
            new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-1))), _protector, TimeProvider.System);
        await authority.EnsureAsync(owner, TestContext.Current.CancellationToken);
        _root = await authority.LoadRootAsync(owner, TestContext.Current.CancellationToken);
        _grandstreamRoot = _issuer.CreateRoot();
        _grandstream = _issuer.CreateIntermediate(_grandstreamRoot);
        var anchor = TrustAnchor.For(_grandstream.Certificate, TrustAnchorKind.Vendor, "Grandstream factory CA", DateTimeOffset.UtcNow);
        anchor.Vendor = DeviceVendor.Grandstream;
        owner.TrustAnchors.Add(anchor);
        await owner.SaveChangesAsync(TestContext.Current.CancellationToken);
        _yealinkDevice = await TestTenants.AddAsync(owner, "Alpha", "0015651a0001");
        _server = new TlsProvisioningServer(database, _directory, _root, _issuer.IssueServer(_root, ["127.0.0.1"]));
        _server.Start();
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _grandstream.Dispose();
        _grandstreamRoot.Dispose();
        _root.Dispose();
        _protector.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task GrandstreamCertificateForYealinkDevice_RefusedNotEnrolledAndAudited()
    {
        using var certificate = _issuer.IssueDevice(_grandstream, MacAddress.Parse(_yealinkDevice.Device.Mac));
        using var client = _server.Handset(certificate.Certificate);

        var response = await client.GetAsync($"/provision/{_yealinkDevice.Device.Mac}.cfg", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await using var check = database.CreateOwnerContext();
        Assert.Null((await check.Devices.SingleAsync(d => d.Id == _yealinkDevice.Device.Id, TestContext.Current.CancellationToken)).ActiveCertificateId);
        var audit = await check.AuditEvents.SingleAsync(e => e.Action == "handset.provision", TestContext.Current.CancellationToken);
        Assert.Equal(AuditOutcome.Denied, audit.Outcome);
        Assert.Contains("speaks for Grandstream", audit.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GrandstreamCertificateForGrandstreamDevice_ClaimedWithItsSerial_EnrolledOnFirstUse()
    {
        using var certificate = _issuer.IssueDevice(_grandstream, MacAddress.Parse(_yealinkDevice.Device.Mac));
        await SetVendorAsync(DeviceVendor.Grandstream, certificate.SerialNumber);
        using var client = _server.Handset(certificate.Certificate);

        var response = await client.GetAsync($"/provision/cfg{_yealinkDevice.Device.Mac}.xml", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var check = database.CreateOwnerContext();
        var device = await check.Devices.Include(d => d.ActiveCertificate).SingleAsync(d => d.Id == _yealinkDevice.Device.Id, TestContext.Current.CancellationToken);
        Assert.Equal(certificate.Fingerprint, device.ActiveCertificate?.Fingerprint);
    }

    [Fact]
    public async Task FactoryCertificateForMacClaimedWithoutItsSerial_NotEnrolled()
    {
        await SetVendorAsync(DeviceVendor.Grandstream);
        using var certificate = _issuer.IssueDevice(_grandstream, MacAddress.Parse(_yealinkDevice.Device.Mac));
        using var client = _server.Handset(certificate.Certificate);

        var response = await client.GetAsync($"/provision/cfg{_yealinkDevice.Device.Mac}.xml", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await using var check = database.CreateOwnerContext();
        Assert.Null((await check.Devices.SingleAsync(d => d.Id == _yealinkDevice.Device.Id, TestContext.Current.CancellationToken)).ActiveCertificateId);
        Assert.Contains(await check.AuditEvents.Select(e => e.Reason).ToListAsync(TestContext.Current.CancellationToken),
            r => r!.Contains("claim not proved", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GrandstreamCertificateOutsideTheAnchorsMacRanges_Refused()
    {
        await SetVendorAsync(DeviceVendor.Grandstream);
        await using (var owner = database.CreateOwnerContext())
        {
            await owner.TrustAnchors.Where(a => a.Kind == TrustAnchorKind.Vendor)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.MacPrefixes, ["000b82", "c074ad"]), TestContext.Current.CancellationToken);
        }

        using var certificate = _issuer.IssueDevice(_grandstream, MacAddress.Parse(_yealinkDevice.Device.Mac));
        using var client = _server.Handset(certificate.Certificate);

        var response = await client.GetAsync($"/provision/cfg{_yealinkDevice.Device.Mac}.xml", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await using var check = database.CreateOwnerContext();
        Assert.Contains(await check.AuditEvents.Select(e => e.Reason).ToListAsync(TestContext.Current.CancellationToken),
            r => r!.Contains("outside the ranges", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RevokedFactoryCertificate_DeviceDeletedAndMacAddedAgain_StillRefused()
    {
        using var certificate = _issuer.IssueDevice(_grandstream, MacAddress.Parse(_yealinkDevice.Device.Mac));
        await SetVendorAsync(DeviceVendor.Grandstream, certificate.SerialNumber);
        using (var client = _server.Handset(certificate.Certificate))
        {
            var enrolled = await client.GetAsync($"/provision/cfg{_yealinkDevice.Device.Mac}.xml", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, enrolled.StatusCode);
        }

        await using (var owner = database.CreateOwnerContext())
        {
            var row = await owner.DeviceCertificates.SingleAsync(c => c.DeviceId == _yealinkDevice.Device.Id, TestContext.Current.CancellationToken);
            row.Revoke(RevocationReason.KeyCompromise, DateTimeOffset.UtcNow);
            await owner.SaveChangesAsync(TestContext.Current.CancellationToken);
            // Its certificates and lines go with it, as when an admin deletes it.
            await owner.Devices.Where(d => d.Id == _yealinkDevice.Device.Id).ExecuteDeleteAsync(TestContext.Current.CancellationToken);
            var again = new Device
            {
                TenantId = _yealinkDevice.Tenant.Id, Mac = _yealinkDevice.Device.Mac, Vendor = DeviceVendor.Grandstream, Model = "GRP2614",
                FactorySerial = FactorySerial.Normalize(certificate.SerialNumber), CreatedAt = DateTimeOffset.UtcNow,
            };
            again.Lines.Add(new DeviceLine { TenantId = _yealinkDevice.Tenant.Id, Position = 1, ExtensionId = _yealinkDevice.Extension.Id });
            owner.Devices.Add(again);
            await owner.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        using var stolen = _server.Handset(certificate.Certificate);
        var response = await stolen.GetAsync($"/provision/cfg{_yealinkDevice.Device.Mac}.xml", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await using var check = database.CreateOwnerContext();
        Assert.Null((await check.Devices.SingleAsync(d => d.Mac == _yealinkDevice.Device.Mac, TestContext.Current.CancellationToken)).ActiveCertificateId);
        Assert.Contains(await check.AuditEvents.Select(e => e.Reason).ToListAsync(TestContext.Current.CancellationToken),
            r => r is not null && r.Contains("Revoked", StringComparison.Ordinal));
    }

    private async Task SetVendorAsync(DeviceVendor vendor, string? factorySerial = null)
    {
        await using var owner = database.CreateOwnerContext();
        await owner.Devices.Where(d => d.Id == _yealinkDevice.Device.Id).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Vendor, vendor).SetProperty(d => d.FactorySerial, FactorySerial.Normalize(factorySerial)), TestContext.Current.CancellationToken);
    }
}
