using System.Numerics;
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
    private StoredPlatformCa _ca = null!;
    private RevocationList _crl = null!;

    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _ca = await StoredPlatformCa.CreateAsync(database);
        _crl = new RevocationList(_ca.Issuer, _ca.Authority, Options.Create(_ca.Options), _ca.Clock);
    }

    public ValueTask DisposeAsync()
    {
        _ca.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task CurrentAsync_NothingChanged_ServesTheSameSignedCrl()
    {
        var first = await CurrentAsync();
        _ca.Clock.Now = _ca.Clock.Now.AddHours(1);
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
        _ca.Clock.Now = _ca.Clock.Now.AddHours(_ca.Options.CrlValidityHours - _ca.Options.CrlRefreshHours + 1);

        var refreshed = await CurrentAsync();

        Assert.Equal(NumberOf(first) + 1, NumberOf(refreshed));
        await using var check = database.CreateOwnerContext();
        var published = await check.PublishedRevocationLists.SingleAsync(Cancel);
        Assert.Equal(_ca.Clock.Now.AddHours(_ca.Options.CrlValidityHours), published.NextUpdate);
    }

    private async Task<byte[]> CurrentAsync()
    {
        await using var db = database.CreateAppContext(DbScope.System);
        return await _crl.CurrentAsync(db, Cancel);
    }

    private async Task<string> RevokeNewCertificateAsync()
    {
        var (_, certificate) = await _ca.IssueForNewDeviceAsync(database, "Alpha", "0015651a0201");
        _ca.Clock.Now = _ca.Clock.Now.AddMinutes(1);
        await using var owner = database.CreateOwnerContext();
        var row = await owner.DeviceCertificates.SingleAsync(c => c.Id == certificate.Id, Cancel);
        row.Revoke(RevocationReason.KeyCompromise, _ca.Clock.Now);
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
