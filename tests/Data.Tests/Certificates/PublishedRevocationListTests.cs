using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Tenancy;
using HostedPbx.Data.Tests.Certificates.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HostedPbx.Data.Tests.Certificates;

/// <summary>The published CRL on a real database: kept while current, signed anew (with the next number) when stale.</summary>
public sealed class PublishedRevocationListTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly KeyProtector _protector = new(RandomNumberGenerator.GetBytes(32));
    private readonly SettableTimeProvider _clock = new(TestClock.Now);
    private readonly CertificateAuthorityOptions _options = new();
    private PlatformAuthority _authority = null!;
    private RevocationList _crl = null!;

    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        var issuer = new CertificateIssuer(Options.Create(_options), _clock);
        _authority = new PlatformAuthority(issuer, _protector, _clock);
        _crl = new RevocationList(issuer, _authority, Options.Create(_options), _clock);
        await using var owner = database.CreateOwnerContext();
        await _authority.EnsureAsync(owner, Cancel);
    }

    public ValueTask DisposeAsync()
    {
        _protector.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task CurrentAsync_NothingChanged_ServesTheSameSignedCrl()
    {
        var first = await CurrentAsync();
        _clock.Now = _clock.Now.AddHours(1);
        var second = await CurrentAsync();

        Assert.Equal(first, second);
        Assert.Equal(1, NumberOf(first));
    }

    [Fact]
    public async Task CurrentAsync_AfterRevocation_NewCrlWithNextNumberListsIt()
    {
        var before = await CurrentAsync();
        var serial = await RevokeNewCertificateAsync();

        var after = await CurrentAsync();

        Assert.Equal(NumberOf(before) + 1, NumberOf(after));
        Assert.Contains(serial, Serials(after));
        Assert.DoesNotContain(serial, Serials(before));
    }

    [Fact]
    public async Task CurrentAsync_CloseToNextUpdate_SignedAnew()
    {
        var first = await CurrentAsync();
        _clock.Now = _clock.Now.AddHours(_options.CrlValidityHours - _options.CrlRefreshHours + 1);

        var refreshed = await CurrentAsync();

        Assert.Equal(NumberOf(first) + 1, NumberOf(refreshed));
        await using var check = database.CreateOwnerContext();
        var published = await check.PublishedRevocationLists.SingleAsync(Cancel);
        Assert.Equal(_clock.Now.AddHours(_options.CrlValidityHours), published.NextUpdate);
    }

    private async Task<byte[]> CurrentAsync()
    {
        await using var db = database.CreateAppContext(DbScope.System);
        return await _crl.CurrentAsync(db, Cancel);
    }

    private async Task<string> RevokeNewCertificateAsync()
    {
        await using var owner = database.CreateOwnerContext();
        var arranged = await TestTenants.AddAsync(owner, "Alpha", "0015651a0201");
        var device = await owner.Devices.SingleAsync(d => d.Id == arranged.Device.Id, Cancel);
        var (row, issued) = await _authority.IssueDeviceAsync(owner, device, null, Cancel);
        issued.Dispose();
        _clock.Now = _clock.Now.AddMinutes(1);
        row.Revoke(RevocationReason.KeyCompromise, _clock.Now);
        await owner.SaveChangesAsync(Cancel);
        return row.Serial.TrimStart('0');
    }

    private static long NumberOf(byte[] der)
    {
        CertificateRevocationListBuilder.Load(der, out BigInteger number);
        return (long)number;
    }

    private static List<string> Serials(byte[] der)
    {
        var crl = new Org.BouncyCastle.X509.X509CrlParser().ReadCrl(der);
        return crl.GetRevokedCertificates()?.Select(e => e.SerialNumber.ToString(16)).ToList() ?? [];
    }
}
