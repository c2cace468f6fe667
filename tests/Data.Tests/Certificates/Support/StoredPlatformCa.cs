using System.Security.Cryptography;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Tests.Certificates.Support;

/// <summary>The platform CA on record in the test database, made with the code under test, on a clock the test moves.</summary>
internal sealed class StoredPlatformCa : IDisposable
{
    private StoredPlatformCa()
    {
        Issuer = new CertificateIssuer(Microsoft.Extensions.Options.Options.Create(Options), Clock);
        Authority = new PlatformAuthority(Issuer, Protector, Clock);
    }

    public SettableTimeProvider Clock { get; } = new(TestClock.Now);

    public CertificateAuthorityOptions Options { get; } = new();

    public KeyProtector Protector { get; } = new(RandomNumberGenerator.GetBytes(32));

    public CertificateIssuer Issuer { get; }

    public PlatformAuthority Authority { get; }

    public static async Task<StoredPlatformCa> CreateAsync(PostgresFixture database)
    {
        await database.ResetAsync();
        var ca = new StoredPlatformCa();
        await using var owner = database.CreateOwnerContext();
        await ca.Authority.EnsureAsync(owner, TestContext.Current.CancellationToken);
        return ca;
    }

    /// <summary>A tenant with one device, enrolled with a platform certificate issued now.</summary>
    public async Task<(Device Device, DeviceCertificate Certificate)> IssueForNewDeviceAsync(PostgresFixture database, string tenant, string mac,
        CertificateKeyAlgorithm? algorithm = null)
    {
        await using var owner = database.CreateOwnerContext();
        var arranged = await TestTenants.AddAsync(owner, tenant, mac);
        var device = await owner.Devices.SingleAsync(d => d.Id == arranged.Device.Id, TestContext.Current.CancellationToken);
        var (row, issued) = await Authority.IssueDeviceAsync(owner, device, algorithm, TestContext.Current.CancellationToken);
        issued.Dispose();
        return (device, row);
    }

    public void Dispose() => Protector.Dispose();
}
