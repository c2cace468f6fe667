using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Devices;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Tenancy;
using HostedPbx.Data.Tests.Certificates.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HostedPbx.Data.Tests.Certificates;

/// <summary>
/// The expiry sweep on a real database: platform certificates near their end get a successor (once), vendor
/// certificates get flagged (once), and nothing else is touched.
/// </summary>
public sealed class CertificateExpirySweepTests(PostgresFixture database) : IAsyncLifetime
{
    private StoredPlatformCa _ca = null!;

    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    private SettableTimeProvider Clock => _ca.Clock;

    private CertificateAuthorityOptions CaOptions => _ca.Options;

    public async ValueTask InitializeAsync() => _ca = await StoredPlatformCa.CreateAsync(database);

    public ValueTask DisposeAsync()
    {
        _ca.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task RunAsync_PlatformCertificateWithinLead_IssuesOneSuccessorKeepsEnrolment()
    {
        var device = await ArrangeIssuedAsync("Alpha", "0015651a0101");
        Clock.Now = TestClock.Now.AddDays(CaOptions.DeviceValidityDays - 10);

        var first = await SweepAsync();
        var second = await SweepAsync();

        Assert.Equal(new CertificateExpirySweep.Result(1, 0), first);
        Assert.Equal(new CertificateExpirySweep.Result(0, 0), second);
        await using var check = database.CreateOwnerContext();
        var stored = await check.Devices.Include(d => d.Certificates).SingleAsync(d => d.Id == device.Id, Cancel);
        var enrolled = stored.Certificates.Single(c => c.Id == stored.ActiveCertificateId);
        var successor = Assert.Single(stored.Certificates, c => c.RenewsCertificateId == enrolled.Id);
        Assert.Null(enrolled.RevokedAt);
        Assert.Null(successor.RevokedAt);
        Assert.NotNull(successor.ProtectedPrivateKey);
        Assert.Equal(stored.Mac, successor.Mac);
        Assert.True(successor.NotAfter > enrolled.NotAfter.AddDays(700), "the successor starts a full validity of its own");
        Assert.NotEqual(enrolled.Fingerprint, successor.Fingerprint);
        Assert.Single(await check.AuditEvents.Where(e => e.Action == "device.certificate.renew" && e.TenantId == stored.TenantId).ToListAsync(Cancel));
    }

    [Fact]
    public async Task RunAsync_RsaCertificate_RenewedWithRsaKey()
    {
        var device = await ArrangeIssuedAsync("Alpha", "0015651a0102", CertificateKeyAlgorithm.Rsa2048);
        Clock.Now = TestClock.Now.AddDays(CaOptions.DeviceValidityDays - 1);

        await SweepAsync();

        await using var check = database.CreateOwnerContext();
        var successor = await check.DeviceCertificates.SingleAsync(c => c.DeviceId == device.Id && c.RenewsCertificateId != null, Cancel);
        using var certificate = X509CertificateLoader.LoadCertificate(successor.CertificateDer);
        using var rsa = certificate.GetRSAPublicKey();
        Assert.NotNull(rsa);
    }

    [Fact]
    public async Task RunAsync_FarFromExpiryExpiredOrRevoked_TouchesNothing()
    {
        await ArrangeIssuedAsync("Alpha", "0015651a0103");
        var revoked = await ArrangeIssuedAsync("Bravo", "0015651a0104");
        await using (var owner = database.CreateOwnerContext())
        {
            var certificate = await owner.DeviceCertificates.SingleAsync(c => c.DeviceId == revoked.Id, Cancel);
            certificate.Revoke(RevocationReason.KeyCompromise, Clock.Now);
            await owner.SaveChangesAsync(Cancel);
        }

        Clock.Now = TestClock.Now.AddDays(CaOptions.DeviceValidityDays - CaOptions.RenewalLeadDays - 1);
        Assert.Equal(new CertificateExpirySweep.Result(0, 0), await SweepAsync());
        Clock.Now = TestClock.Now.AddDays(CaOptions.DeviceValidityDays + 1);
        Assert.Equal(new CertificateExpirySweep.Result(0, 0), await SweepAsync());
    }

    [Fact]
    public async Task RunAsync_VendorCertificateWithinLead_FlaggedOnceNotRenewed()
    {
        await using var owner = database.CreateOwnerContext();
        using var vendorCa = _ca.Issuer.CreateRoot();
        var anchor = _ca.Authority.ToAnchor(vendorCa.Certificate, TrustAnchorKind.Vendor, "Yealink factory CA");
        anchor.Vendor = DeviceVendor.Yealink;
        owner.TrustAnchors.Add(anchor);
        var arranged = await TestTenants.AddAsync(owner, "Alpha", "0015651a0105");
        using var factory = _ca.Issuer.IssueDevice(vendorCa, MacAddress.Parse(arranged.Device.Mac), validityDays: 20);
        var device = await owner.Devices.SingleAsync(d => d.Id == arranged.Device.Id, Cancel);
        await _ca.Authority.EnrolAsync(owner, device, _ca.Authority.ToDeviceCertificate(factory.Certificate, device, anchor.Id, CertificateSource.Uploaded), Cancel);

        var first = await SweepAsync();
        var second = await SweepAsync();

        Assert.Equal(new CertificateExpirySweep.Result(0, 1), first);
        Assert.Equal(new CertificateExpirySweep.Result(0, 0), second);
        await using var check = database.CreateOwnerContext();
        var certificate = await check.DeviceCertificates.SingleAsync(c => c.DeviceId == device.Id, Cancel);
        Assert.Equal(Clock.Now, certificate.ExpiryFlaggedAt);
        Assert.Single(await check.AuditEvents.Where(e => e.Action == "device.certificate.expiring").ToListAsync(Cancel));
    }

    private async Task<Device> ArrangeIssuedAsync(string tenant, string mac, CertificateKeyAlgorithm? algorithm = null) =>
        (await _ca.IssueForNewDeviceAsync(database, tenant, mac, algorithm)).Device;

    private async Task<CertificateExpirySweep.Result> SweepAsync()
    {
        await using var db = database.CreateAppContext(DbScope.System);
        return await new CertificateExpirySweep(_ca.Authority, Options.Create(CaOptions), Clock).RunAsync(db, Cancel);
    }
}
