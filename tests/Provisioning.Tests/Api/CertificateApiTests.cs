using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Provisioning.Tests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HostedPbx.Provisioning.Tests.Api;

public sealed class CertificateApiTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly ProvisioningFactory _factory = new(database);
    private readonly CertificateIssuer _issuer = new(Options.Create(new CertificateAuthorityOptions()), TimeProvider.System);
    private TestTenants.Arranged _a = null!;
    private string _resellerKey = null!;
    private HttpClient _reseller = null!;
    private HttpClient _operator = null!;

    private string DevicePath => $"/api/v1/tenants/{_a.Tenant.Id}/devices/{_a.Device.Id}/certificates";

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        await using var owner = database.CreateOwnerContext();
        using var protector = KeyProtector.FromBase64(ProvisioningFactory.MasterKey);
        await new PlatformAuthority(_issuer, protector, TimeProvider.System).EnsureAsync(owner, TestContext.Current.CancellationToken);
        _a = await TestTenants.AddAsync(owner, "Alpha", "0015651a0001");
        _resellerKey = await _factory.AddKeyAsync(_a.Reseller.Id);
        _reseller = _factory.ClientWithKey(_resellerKey);
        _operator = _factory.ClientWithKey(await _factory.AddKeyAsync(null, "operator"));
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Issue_ThenDownloadPem_ServesCertificateAndKeyOnce()
    {
        var issued = await ReadAsync(await _reseller.PostAsJsonAsync($"{DevicePath}/issue", new { }, TestContext.Current.CancellationToken), HttpStatusCode.Created);
        var url = issued.GetProperty("downloadUrl").GetString()!;

        var first = await _reseller.GetAsync(url, TestContext.Current.CancellationToken);
        var pem = await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var second = await _reseller.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var certificate = X509Certificate2.CreateFromPem(pem, pem);
        Assert.True(certificate.HasPrivateKey);
        Assert.Contains("urn:dev:mac:0015651a0001", certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().Format(false), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        await using var owner = database.CreateOwnerContext();
        var device = await owner.Devices.Include(d => d.ActiveCertificate).SingleAsync(d => d.Id == _a.Device.Id, TestContext.Current.CancellationToken);
        Assert.Equal(CertificateIdentity.Sha256Fingerprint(certificate), device.ActiveCertificate!.Fingerprint);
        Assert.Null(device.ActiveCertificate.ProtectedPrivateKey);
    }

    [Fact]
    public async Task Download_TenParallelRequests_OneGetsTheKey()
    {
        var issued = await ReadAsync(await _reseller.PostAsJsonAsync($"{DevicePath}/issue", new { }, TestContext.Current.CancellationToken), HttpStatusCode.Created);
        var url = issued.GetProperty("downloadUrl").GetString()!;
        var clients = Enumerable.Range(0, 10).Select(_ => _factory.ClientWithKey(_resellerKey)).ToList();

        var responses = await Task.WhenAll(clients.Select(c => c.GetAsync(url, TestContext.Current.CancellationToken)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(9, responses.Count(r => r.StatusCode == HttpStatusCode.NotFound));
        await using var owner = database.CreateOwnerContext();
        Assert.Equal(1, await owner.AuditEvents.CountAsync(e => e.Action == "device.certificate.download", TestContext.Current.CancellationToken));
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task Issue_Pkcs12Legacy_OpensWithTheGivenPassword()
    {
        var issued = await ReadAsync(await _reseller.PostAsJsonAsync($"{DevicePath}/issue", new { keyAlgorithm = "Rsa2048", format = "Pkcs12Legacy" },
            TestContext.Current.CancellationToken), HttpStatusCode.Created);

        var bytes = await _reseller.GetByteArrayAsync(issued.GetProperty("downloadUrl").GetString(), TestContext.Current.CancellationToken);

        using var certificate = X509CertificateLoader.LoadPkcs12(bytes, issued.GetProperty("pkcs12Password").GetString());
        Assert.True(certificate.HasPrivateKey);
        Assert.NotNull(certificate.GetRSAPrivateKey());
    }

    [Fact]
    public async Task IssueAgain_RevokesTheReplacedCertificate()
    {
        await _reseller.PostAsJsonAsync($"{DevicePath}/issue", new { }, TestContext.Current.CancellationToken);
        await _reseller.PostAsJsonAsync($"{DevicePath}/issue", new { }, TestContext.Current.CancellationToken);

        var list = await _reseller.GetFromJsonAsync<JsonElement>(DevicePath, TestContext.Current.CancellationToken);

        Assert.Equal(2, list.GetArrayLength());
        Assert.Equal("Superseded", list[1].GetProperty("revocationReason").GetString());
        Assert.Equal(JsonValueKind.Null, list[0].GetProperty("revokedAt").ValueKind);
    }

    [Fact]
    public async Task UploadFactoryCertificate_FromImportedVendorCa_IsEnrolled()
    {
        using var vendorRoot = _issuer.CreateRoot();
        await ImportVendorAsync(vendorRoot, HttpStatusCode.Created);
        using var factory = IssueWithCn(vendorRoot, mac: "0015651a0001");

        var response = await _reseller.PostAsJsonAsync(DevicePath, new { pem = factory.ExportCertificatePem() }, TestContext.Current.CancellationToken);

        var body = await ReadAsync(response, HttpStatusCode.Created);
        Assert.Equal("Uploaded", body.GetProperty("source").GetString());
    }

    [Fact]
    public async Task UploadFactoryCertificate_WithAnotherMac_Returns400AndWritesNothing()
    {
        using var vendorRoot = _issuer.CreateRoot();
        await ImportVendorAsync(vendorRoot, HttpStatusCode.Created);
        using var factory = IssueWithCn(vendorRoot, mac: "0015651a0999");

        var response = await _reseller.PostAsJsonAsync(DevicePath, new { pem = factory.ExportCertificatePem() }, TestContext.Current.CancellationToken);

        await ReadAsync(response, HttpStatusCode.BadRequest);
        await using var owner = database.CreateOwnerContext();
        Assert.Equal(0, await owner.DeviceCertificates.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task UploadFactoryCertificate_FromAnotherVendorsCa_Returns400AndWritesNothing()
    {
        using var vendorRoot = _issuer.CreateRoot();
        await ImportVendorAsync(vendorRoot, HttpStatusCode.Created, vendor: "Grandstream");
        using var factory = IssueWithCn(vendorRoot, mac: "0015651a0001");

        var response = await _reseller.PostAsJsonAsync(DevicePath, new { pem = factory.ExportCertificatePem() }, TestContext.Current.CancellationToken);

        await ReadAsync(response, HttpStatusCode.BadRequest);
        await using var owner = database.CreateOwnerContext();
        Assert.Equal(0, await owner.DeviceCertificates.CountAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("00:15:65", HttpStatusCode.Created)]
    [InlineData("c074ad", HttpStatusCode.BadRequest)]
    public async Task UploadFactoryCertificate_AnchorWithMacRanges_EnrolsOnlyMacsInThem(string prefix, HttpStatusCode expected)
    {
        using var vendorRoot = _issuer.CreateRoot();
        var anchor = await ImportVendorAsync(vendorRoot, HttpStatusCode.Created, prefixes: ["000b82", prefix]);
        using var factory = IssueWithCn(vendorRoot, mac: "0015651a0001");

        var response = await _reseller.PostAsJsonAsync(DevicePath, new { pem = factory.ExportCertificatePem() }, TestContext.Current.CancellationToken);

        await ReadAsync(response, expected);
        Assert.Equal(["000b82", prefix.Replace(":", "", StringComparison.Ordinal)],
            anchor.GetProperty("macPrefixes").EnumerateArray().Select(p => p.GetString()!).ToArray());
    }

    [Theory]
    [InlineData("00156")]
    [InlineData("0015651a0001")]
    [InlineData("xx1565")]
    public async Task ImportVendorCa_MalformedMacPrefix_Returns400(string prefix)
    {
        using var vendorRoot = _issuer.CreateRoot();

        var problem = await ImportVendorAsync(vendorRoot, HttpStatusCode.BadRequest, prefixes: [prefix]);

        Assert.True(problem.GetProperty("errors").TryGetProperty("MacPrefixes", out _));
    }

    [Fact]
    public async Task UploadSomethingThatIsNotACertificate_Returns400()
    {
        var response = await _reseller.PostAsJsonAsync(DevicePath, new { pem = "hello" }, TestContext.Current.CancellationToken);

        var problem = await ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("Pem", out _));
    }

    [Fact]
    public async Task ImportExpiredVendorCa_Returns400()
    {
        var longAgo = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddYears(-30));
        using var expired = new CertificateIssuer(Options.Create(new CertificateAuthorityOptions { RootValidityDays = 365 }), longAgo).CreateRoot();

        await ImportVendorAsync(expired, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task TrustAnchors_ResellerKey_Returns404()
    {
        var response = await _reseller.GetAsync("/api/v1/trust-anchors", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Revoke_MarksCertificateRevoked()
    {
        var issued = await ReadAsync(await _reseller.PostAsJsonAsync($"{DevicePath}/issue", new { }, TestContext.Current.CancellationToken), HttpStatusCode.Created);
        var id = issued.GetProperty("certificate").GetProperty("id").GetGuid();

        var response = await _reseller.PostAsJsonAsync($"{DevicePath}/{id}/revoke", new { reason = "KeyCompromise" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await using var owner = database.CreateOwnerContext();
        var row = await owner.DeviceCertificates.SingleAsync(c => c.Id == id, TestContext.Current.CancellationToken);
        Assert.Equal(RevocationReason.KeyCompromise, row.RevocationReason);
        Assert.Null(row.ProtectedPrivateKey);
    }

    [Fact]
    public async Task RevocationList_NamesRevokedSerials_AndIsSignedByTheDeviceCa()
    {
        var issued = await ReadAsync(await _reseller.PostAsJsonAsync($"{DevicePath}/issue", new { }, TestContext.Current.CancellationToken), HttpStatusCode.Created);
        var certificate = issued.GetProperty("certificate");
        await _reseller.PostAsJsonAsync($"{DevicePath}/{certificate.GetProperty("id").GetGuid()}/revoke", new { reason = "KeyCompromise" },
            TestContext.Current.CancellationToken);

        var crl = await _factory.ClientWithKey(null).GetByteArrayAsync("/crl/device-ca.crl", TestContext.Current.CancellationToken);

        var serial = Convert.FromHexString(certificate.GetProperty("serial").GetString()!);
        Assert.True(crl.AsSpan().IndexOf(serial) >= 0, "the revoked serial is in the CRL");
        await using var owner = database.CreateOwnerContext();
        var deviceCa = await owner.TrustAnchors.SingleAsync(a => a.Kind == TrustAnchorKind.PlatformDeviceIssuer, TestContext.Current.CancellationToken);
        using var ca = X509CertificateLoader.LoadCertificate(deviceCa.CertificateDer);
        Assert.True(crl.AsSpan().IndexOf(ca.SubjectName.RawData) >= 0, "the CRL names the device CA as its issuer");
    }

    [Fact]
    public async Task RevocationList_AfterTheDeviceIsDeleted_StillNamesTheRevokedSerial()
    {
        var issued = await ReadAsync(await _reseller.PostAsJsonAsync($"{DevicePath}/issue", new { }, TestContext.Current.CancellationToken), HttpStatusCode.Created);
        var certificate = issued.GetProperty("certificate");
        await _reseller.PostAsJsonAsync($"{DevicePath}/{certificate.GetProperty("id").GetGuid()}/revoke", new { reason = "KeyCompromise" },
            TestContext.Current.CancellationToken);
        var deleted = await _reseller.DeleteAsync($"/api/v1/tenants/{_a.Tenant.Id}/devices/{_a.Device.Id}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        var crl = await _factory.ClientWithKey(null).GetByteArrayAsync("/crl/device-ca.crl", TestContext.Current.CancellationToken);

        var serial = Convert.FromHexString(certificate.GetProperty("serial").GetString()!);
        Assert.True(crl.AsSpan().IndexOf(serial) >= 0, "the revoked serial is still in the CRL");
    }

    private async Task<JsonElement> ImportVendorAsync(CertificateAuthority vendorRoot, HttpStatusCode expected, string vendor = "Yealink",
        string[]? prefixes = null) =>
        await ReadAsync(await _operator.PostAsJsonAsync("/api/v1/trust-anchors", new
        {
            name = $"{vendor} factory CA", vendor, macLocation = "SubjectCommonName", pem = vendorRoot.Certificate.ExportCertificatePem(),
            macPrefixes = prefixes,
        }, TestContext.Current.CancellationToken), expected);

    /// <summary>A vendor-style factory certificate: the MAC in the CN, no SAN URI.</summary>
    private static X509Certificate2 IssueWithCn(CertificateAuthority ca, string mac)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={mac}, O=Vendor", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        return request.Create(ca.Certificate, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(5), serial);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
