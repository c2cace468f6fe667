using System.Security.Cryptography;
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
    private readonly KeyProtector _protector = new(RandomNumberGenerator.GetBytes(32));
    private readonly SettableTimeProvider _clock = new(TestClock.Now);
    private readonly CertificateAuthorityOptions _options = new();
    private CertificateIssuer _issuer = null!;
    private PlatformAuthority _authority = null!;

    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        _issuer = new CertificateIssuer(Options.Create(_options), _clock);
        _authority = new PlatformAuthority(_issuer, _protector, _clock);
        await using var owner = database.CreateOwnerContext();
        await _authority.EnsureAsync(owner, Cancel);
    }

    public ValueTask DisposeAsync()
    {
        _protector.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task RunAsync_PlatformCertificateWithinLead_IssuesOneSuccessorKeepsEnrolment()
    {
        var device = await ArrangeIssuedAsync("Alpha", "0015651a0101");
        _clock.Now = TestClock.Now.AddDays(_options.DeviceValidityDays - 10);

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
        _clock.Now = TestClock.Now.AddDays(_options.DeviceValidityDays - 1);

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
            certificate.Revoke(RevocationReason.KeyCompromise, _clock.Now);
            await owner.SaveChangesAsync(Cancel);
        }

        _clock.Now = TestClock.Now.AddDays(_options.DeviceValidityDays - _options.RenewalLeadDays - 1);
        Assert.Equal(new CertificateExpirySweep.Result(0, 0), await SweepAsync());
        _clock.Now = TestClock.Now.AddDays(_options.DeviceValidityDays + 1);
        Assert.Equal(new CertificateExpirySweep.Result(0, 0), await SweepAsync());
    }

    [Fact]
    public async Task RunAsync_VendorCertificateWithinLead_FlaggedOnceNotRenewed()
    {
        await using var owner = database.CreateOwnerContext();
        using var vendorCa = _issuer.CreateRoot();
        var anchor = _authority.ToAnchor(vendorCa.Certificate, TrustAnchorKind.Vendor, "Yealink factory CA");
        anchor.Vendor = DeviceVendor.Yealink;
        owner.TrustAnchors.Add(anchor);
        var arranged = await TestTenants.AddAsync(owner, "Alpha", "0015651a0105");
        using var factory = _issuer.IssueDevice(vendorCa, MacAddress.Parse(arranged.Device.Mac), validityDays: 20);
        var device = await owner.Devices.SingleAsync(d => d.Id == arranged.Device.Id, Cancel);
        await _authority.EnrolAsync(owner, device, _authority.ToDeviceCertificate(factory.Certificate, device, anchor.Id, CertificateSource.Uploaded), Cancel);

        var first = await SweepAsync();
        var second = await SweepAsync();

        Assert.Equal(new CertificateExpirySweep.Result(0, 1), first);
        Assert.Equal(new CertificateExpirySweep.Result(0, 0), second);
        await using var check = database.CreateOwnerContext();
        var certificate = await check.DeviceCertificates.SingleAsync(c => c.DeviceId == device.Id, Cancel);
        Assert.Equal(_clock.Now, certificate.ExpiryFlaggedAt);
        Assert.Single(await check.AuditEvents.Where(e => e.Action == "device.certificate.expiring").ToListAsync(Cancel));
    }

    private async Task<Device> ArrangeIssuedAsync(string tenant, string mac, CertificateKeyAlgorithm? algorithm = null)
    {
        await using var owner = database.CreateOwnerContext();
        var arranged = await TestTenants.AddAsync(owner, tenant, mac);
        var device = await owner.Devices.SingleAsync(d => d.Id == arranged.Device.Id, Cancel);
        var (_, issued) = await _authority.IssueDeviceAsync(owner, device, algorithm, Cancel);
        issued.Dispose();
        return device;
    }

    private async Task<CertificateExpirySweep.Result> SweepAsync()
    {
        await using var db = database.CreateAppContext(DbScope.System);
        return await new CertificateExpirySweep(_authority, Options.Create(_options), _clock).RunAsync(db, Cancel);
    }
}
