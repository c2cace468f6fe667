using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Devices;
using HostedPbx.Data.Entities;
using HostedPbx.Provisioning.Features.Vendors;
using HostedPbx.Provisioning.Tests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Provisioning.Tests.Handsets;

/// <summary>
/// /provision/ over real HTTPS with real certificates and a real database: A's certificate gets A's files, and each
/// way of being someone else, or no longer valid, is refused with a bare 403 and an audit event.
/// </summary>
public sealed class ServeConfigTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pbx-prov-").FullName;
    private readonly KeyProtector _protector = KeyProtector.FromBase64(ProvisioningFactory.MasterKey);
    private readonly CertificateIssuer _issuer = new(Options.Create(new CertificateAuthorityOptions()), TimeProvider.System);
    private TlsProvisioningServer _server = null!;
    private CertificateAuthority _root = null!;
    private IssuedCertificate _serverCertificate = null!;
    private TestTenants.Arranged _a = null!;
    private TestTenants.Arranged _b = null!;
    private IssuedCertificate _certA = null!;

    private PlatformAuthority Authority => new(_issuer, _protector, TimeProvider.System);

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        await using var owner = database.CreateOwnerContext();
        // The CA dates from long ago, so that certificates can be issued "in the past" for the expiry test.
        await new PlatformAuthority(new CertificateIssuer(Options.Create(new CertificateAuthorityOptions()),
            new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-500))), _protector, TimeProvider.System).EnsureAsync(owner, TestContext.Current.CancellationToken);
        _root = await Authority.LoadRootAsync(owner, TestContext.Current.CancellationToken);
        _serverCertificate = _issuer.IssueServer(_root, ["127.0.0.1"]);
        _a = await TestTenants.AddAsync(owner, "Alpha", "0015651a0001");
        _b = await TestTenants.AddAsync(owner, "Bravo", "0015651a0002");
        (_, _certA) = await Authority.IssueDeviceAsync(owner, await owner.Devices.SingleAsync(d => d.Id == _a.Device.Id), null, TestContext.Current.CancellationToken);
        _server = new TlsProvisioningServer(database, _directory, _root, _serverCertificate);
        _server.Start();
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _protector.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData(DeviceVendor.Yealink)]
    [InlineData(DeviceVendor.Polycom)]
    [InlineData(DeviceVendor.Snom)]
    [InlineData(DeviceVendor.Grandstream)]
    [InlineData(DeviceVendor.Cisco)]
    [InlineData(DeviceVendor.Baresip)]
    public async Task OwnCertificate_GetsItsConfigurationInEveryFileOfItsFormat(DeviceVendor vendor)
    {
        await using (var owner = database.CreateOwnerContext())
        {
            await owner.Devices.Where(d => d.Id == _a.Device.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.Vendor, vendor), TestContext.Current.CancellationToken);
        }

        using var client = _server.Handset(_certA.Certificate);
        var names = HandsetTemplates.For(vendor)!.FileNames(MacAddress.Parse(_a.Device.Mac));
        Assert.NotEmpty(names);
        var all = "";
        foreach (var name in names)
        {
            var response = await client.GetAsync($"/provision/{name}", TestContext.Current.CancellationToken);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}: {(int)response.StatusCode}");
            all += body;
        }

        // Together the files carry the bound extension and the switch's TLS address.
        Assert.Contains("201", all, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", all, StringComparison.Ordinal);

        await using var check = database.CreateOwnerContext();
        Assert.NotNull((await check.Devices.SingleAsync(d => d.Id == _a.Device.Id, TestContext.Current.CancellationToken)).LastProvisionedAt);
        Assert.All(await check.AuditEvents.Where(e => e.Action == "handset.provision").ToListAsync(TestContext.Current.CancellationToken),
            e => Assert.Equal(AuditOutcome.Success, e.Outcome));
    }

    [Fact]
    public async Task BackupSwitchSetting_YealinkGetsItAsItsSecondServerOverTls()
    {
        await using (var owner = database.CreateOwnerContext())
        {
            await owner.Devices.Where(d => d.Id == _a.Device.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.Vendor, DeviceVendor.Yealink), TestContext.Current.CancellationToken);
        }

        await _server.DisposeAsync();
        _server = new TlsProvisioningServer(database, _directory, _root, _serverCertificate).With("Provisioning:BackupSwitchHost", "127.0.0.3");
        _server.Start();
        using var client = _server.Handset(_certA.Certificate);
        var name = Assert.Single(HandsetTemplates.For(DeviceVendor.Yealink)!.FileNames(MacAddress.Parse(_a.Device.Mac)));

        var body = await client.GetStringAsync($"/provision/{name}", TestContext.Current.CancellationToken);

        // The operator's second node, on the primary's port, over TLS: where the handset goes when the first one is down.
        Assert.Contains("account.1.sip_server.2.address = 127.0.0.3", body, StringComparison.Ordinal);
        Assert.Contains("account.1.sip_server.2.transport_type = 2", body, StringComparison.Ordinal);
        Assert.Contains("account.1.sip_server.1.address = 127.0.0.1", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoClientCertificate_IsRefused()
    {
        using var client = _server.Handset(null);

        await AssertRefusedAsync(client, $"{_a.Device.Mac}.cfg", expectAudit: false);
    }

    [Fact]
    public async Task CertificateFromUnknownCa_IsRefused()
    {
        using var strangerRoot = _issuer.CreateRoot();
        using var strangerCa = _issuer.CreateIntermediate(strangerRoot);
        using var forged = _issuer.IssueDevice(strangerCa, MacAddress.Parse(_a.Device.Mac));
        using var client = _server.Handset(forged.Certificate);

        await AssertRefusedAsync(client, $"{_a.Device.Mac}.cfg");
    }

    [Fact]
    public async Task StrangersCertificateNamingAnIssuerUrl_IsRefused_WithoutTheServerFetchingIt()
    {
        // The TLS stack builds the client's chain before the handset rule runs; a stranger's issuer URL is never fetched.
        using var trap = new IssuerUrlTrap(_a.Device.Mac);
        using var client = _server.HandsetPresenting(trap.ClientContext);

        await AssertRefusedAsync(client, $"{_a.Device.Mac}.cfg");

        Assert.False(trap.WasContacted, "provisioning connected to the URL the stranger's certificate names");
    }

    [Fact]
    public async Task StrangerFlood_AuditedUpToTheRateThenCounted()
    {
        using var strangerRoot = _issuer.CreateRoot();
        using var strangerCa = _issuer.CreateIntermediate(strangerRoot);
        using var forged = _issuer.IssueDevice(strangerCa, MacAddress.Parse(_a.Device.Mac));
        using var client = _server.Handset(forged.Certificate);

        for (var i = 0; i < 30; i++)
        {
            var response = await client.GetAsync($"/provision/{_a.Device.Mac}.cfg", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        // The default rate is 20 a minute per address; the other 10 wait, counted, for the address's next refusal.
        await using var check = database.CreateOwnerContext();
        Assert.Equal(20, await check.AuditEvents.CountAsync(e => e.Action == "handset.provision", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ExpiredCertificate_IsRefused()
    {
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-60));
        await AssertEnrolledButRefusedAsync(past, validityDays: 30);
    }

    [Fact]
    public async Task NotYetValidCertificate_IsRefused()
    {
        var future = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(30));
        await AssertEnrolledButRefusedAsync(future, validityDays: 365);
    }

    [Fact]
    public async Task RevokedCertificate_IsRefused()
    {
        await using (var owner = database.CreateOwnerContext())
        {
            var certificate = await owner.DeviceCertificates.SingleAsync(c => c.DeviceId == _a.Device.Id, TestContext.Current.CancellationToken);
            certificate.Revoke(RevocationReason.KeyCompromise, DateTimeOffset.UtcNow);
            await owner.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        using var client = _server.Handset(_certA.Certificate);

        await AssertRefusedAsync(client, $"{_a.Device.Mac}.cfg");
    }

    [Fact]
    public async Task OwnCertificateAskingForAnotherMac_IsRefused()
    {
        using var client = _server.Handset(_certA.Certificate);

        await AssertRefusedAsync(client, $"{_b.Device.Mac}.cfg");
    }

    [Fact]
    public async Task SecondTrustedCertificateForSameMac_NotOnRecord_IsRefused()
    {
        await using var owner = database.CreateOwnerContext();
        var (ca, _) = await Authority.LoadDeviceIssuerAsync(owner, TestContext.Current.CancellationToken);
        using (ca)
        {
            using var twin = _issuer.IssueDevice(ca, MacAddress.Parse(_a.Device.Mac));
            using var client = _server.Handset(twin.Certificate);

            await AssertRefusedAsync(client, $"{_a.Device.Mac}.cfg");
        }
    }

    [Fact]
    public async Task RenewedCertificate_FetchedOnceWithOldOne_ThenEnrolledOnFirstUse_OldOneRefused()
    {
        await using (var sweepDb = database.CreateAppContext(Data.Tenancy.DbScope.System))
        {
            // Run the sweep as if the enrolled certificate had ten days left.
            var later = new FakeTimeProvider(_certA.Certificate.NotAfter.ToUniversalTime().AddDays(-10));
            var result = await new CertificateExpirySweep(Authority, Options.Create(new CertificateAuthorityOptions()), later)
                .RunAsync(sweepDb, TestContext.Current.CancellationToken);
            Assert.Equal(1, result.Renewed);
        }

        using var old = _server.Handset(_certA.Certificate);
        var pemResponse = await old.GetAsync($"/provision/{_a.Device.Mac}.pem", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, pemResponse.StatusCode);
        var pem = await pemResponse.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, (await old.GetAsync($"/provision/{_a.Device.Mac}.pem", TestContext.Current.CancellationToken)).StatusCode);
        using var renewed = X509Certificate2.CreateFromPem(pem, pem);
        Assert.NotEqual(_certA.Fingerprint, CertificateIdentity.Sha256Fingerprint(renewed));
        Assert.Equal(HttpStatusCode.OK, (await old.GetAsync($"/provision/{_a.Device.Mac}.cfg", TestContext.Current.CancellationToken)).StatusCode);

        using var fresh = _server.Handset(renewed);
        var config = await fresh.GetAsync($"/provision/{_a.Device.Mac}.cfg", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, config.StatusCode);
        await using (var check = database.CreateOwnerContext())
        {
            var device = await check.Devices.Include(d => d.Certificates).SingleAsync(d => d.Id == _a.Device.Id, TestContext.Current.CancellationToken);
            Assert.Equal(CertificateIdentity.Sha256Fingerprint(renewed), device.Certificates.Single(c => c.Id == device.ActiveCertificateId).Fingerprint);
            Assert.Equal(RevocationReason.Superseded, device.Certificates.Single(c => c.Fingerprint == _certA.Fingerprint).RevocationReason);
            Assert.Null(device.Certificates.Single(c => c.Id == device.ActiveCertificateId).ProtectedPrivateKey);
        }

        // The certificate it replaced is now revoked as superseded: refused like any revoked one.
        using var stale = _server.Handset(_certA.Certificate);
        Assert.Equal(HttpStatusCode.Forbidden, (await stale.GetAsync($"/provision/{_a.Device.Mac}.cfg", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task RenewalFile_NoRenewalPending_NotFound()
    {
        using var client = _server.Handset(_certA.Certificate);

        var response = await client.GetAsync($"/provision/{_a.Device.Mac}.pem", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task DisabledDevice_IsRefused()
    {
        await using (var owner = database.CreateOwnerContext())
        {
            await owner.Devices.Where(d => d.Id == _a.Device.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeviceStatus.Disabled), TestContext.Current.CancellationToken);
        }

        using var client = _server.Handset(_certA.Certificate);

        await AssertRefusedAsync(client, $"{_a.Device.Mac}.cfg");
    }

    /// <summary>A certificate otherwise right (platform CA, A's MAC, enrolled) whose validity is off now.</summary>
    private async Task AssertEnrolledButRefusedAsync(TimeProvider issuedAt, int validityDays)
    {
        var issuer = new CertificateIssuer(Options.Create(new CertificateAuthorityOptions()), issuedAt);
        await using var owner = database.CreateOwnerContext();
        var (ca, anchor) = await Authority.LoadDeviceIssuerAsync(owner, TestContext.Current.CancellationToken);
        using (ca)
        {
            using var odd = issuer.IssueDevice(ca, MacAddress.Parse(_a.Device.Mac), validityDays: validityDays);
            var device = await owner.Devices.SingleAsync(d => d.Id == _a.Device.Id, TestContext.Current.CancellationToken);
            await Authority.EnrolAsync(owner, device, Authority.ToDeviceCertificate(odd.Certificate, device, anchor.Id, CertificateSource.Issued),
                TestContext.Current.CancellationToken);
            using var client = _server.Handset(odd.Certificate);

            await AssertRefusedAsync(client, $"{_a.Device.Mac}.cfg");
        }
    }

    private async Task AssertRefusedAsync(HttpClient client, string file, bool expectAudit = true)
    {
        string? body = null;
        try
        {
            var response = await client.GetAsync($"/provision/{file}", TestContext.Current.CancellationToken);
            body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
        catch (HttpRequestException)
        {
            // The TLS handshake itself refused: nothing was served.
        }

        // Nothing of the configuration, and nothing that says which check failed: at most a bare problem document
        // (its random traceId may contain any digits, so it is left out of the look for the extension).
        if (!string.IsNullOrEmpty(body))
        {
            using var problem = JsonDocument.Parse(body);
            var fields = problem.RootElement.EnumerateObject().ToList();
            Assert.All(fields, f => Assert.Contains(f.Name, (string[])["type", "title", "status", "traceId"]));
            Assert.DoesNotContain(fields, f => f.Name != "traceId" && f.Value.ToString().Contains("201", StringComparison.Ordinal));
        }

        await using var check = database.CreateOwnerContext();
        var audit = await check.AuditEvents.Where(e => e.Action == "handset.provision").ToListAsync(TestContext.Current.CancellationToken);
        if (expectAudit)
        {
            Assert.Contains(audit, e => e.Outcome == AuditOutcome.Denied && !string.IsNullOrEmpty(e.Reason));
        }

        Assert.DoesNotContain(audit, e => e.Outcome == AuditOutcome.Success);
    }
}
