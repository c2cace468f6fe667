using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Devices;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HostedPbx.Switch.LoadTool.Setup;

/// <summary>
/// Seeds one tenant with N extensions and N devices, each device with its own certificate from a CA this run creates
/// (imported as a trust anchor, as an operator imports a vendor CA), and issues the switch's server certificate.
/// </summary>
internal sealed class LoadSeeder : IDisposable
{
    private const int Batch = 500;
    private readonly CertificateIssuer _issuer = new(Options.Create(new CertificateAuthorityOptions()), TimeProvider.System);

    /// <param name="caKey">The key of the root and the device CA; null for what the platform's own CA gets.</param>
    public LoadSeeder(CertificateKeyAlgorithm? caKey)
    {
        Root = _issuer.CreateRoot(caKey);
        DeviceCa = _issuer.CreateIntermediate(Root, caKey);
    }

    public CertificateAuthority Root { get; }

    public CertificateAuthority DeviceCa { get; }

    /// <summary>The CAs' key as the report names it, e.g. "ECDSA P-384".</summary>
    public string CaKeyDescription
    {
        get
        {
            using var ecdsa = DeviceCa.Certificate.GetECDsaPublicKey();
            using var rsa = ecdsa is null ? DeviceCa.Certificate.GetRSAPublicKey() : null;
            return ecdsa is not null ? $"ECDSA P-{ecdsa.KeySize}" : $"RSA {rsa?.KeySize}";
        }
    }

    public static string NumberOf(int index) => (100000 + index).ToString(System.Globalization.CultureInfo.InvariantCulture);

    // Locally administered (02:…) so it can never be a real vendor's MAC.
    public static string MacOf(int index) => $"02000d{index:x6}";

    /// <summary>Drops and recreates the database named in the owner connection string, then migrates it.</summary>
    public static async Task RecreateDatabaseAsync(string ownerConnectionString, CancellationToken cancellationToken)
    {
        var target = new NpgsqlConnectionStringBuilder(ownerConnectionString);
        var name = target.Database ?? throw new ArgumentException("The connection string names no database.", nameof(ownerConnectionString));
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException($"Refusing to recreate database '{name}': letters, digits and '_' only.", nameof(ownerConnectionString));
        }

        var admin = new NpgsqlConnectionStringBuilder(ownerConnectionString) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await DatabaseMigrator.MigrateAsync(ownerConnectionString, cancellationToken);
        // The switch signs in as its own role with the same password file (on a fresh ./pbx test-db cluster it has none).
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await PrivateClusterRoles.ShareOwnerPasswordAsync(connection, cancellationToken);
        }
    }

    public IssuedCertificate IssueServer() => _issuer.IssueServer(Root, ["127.0.0.1"]);

    /// <summary>Creates the tenant (allowing only <paramref name="suite"/>) and <paramref name="count"/> handsets; returns them in index order.</summary>
    public async Task<IReadOnlyList<LoadHandset>> SeedAsync(string ownerConnectionString, int count, string suite, CancellationToken cancellationToken)
    {
        await using var source = new NpgsqlDataSourceBuilder(ownerConnectionString).Build();
        var now = TimeProvider.System.GetUtcNow();
        var reseller = new Reseller { Name = "Load Reseller", CreatedAt = now };
        var tenant = new Tenant
        {
            Name = $"Load {now:yyyyMMddHHmmss}",
            ResellerId = reseller.Id,
            CreatedAt = now,
            AllowedSrtpSuites = [suite],
            // One tenant carries the whole load: its concurrent-call limit must not be what is measured.
            MaxConcurrentCalls = Math.Min(count, 10_000), // the schema's ceiling (ck_tenants_max_concurrent_calls)
        };
        var rootAnchor = Anchor(Root, "Load Root", now);
        var deviceAnchor = Anchor(DeviceCa, "Load Device CA", now);
        await using (var db = new PbxDbContext(DataServices.CreateOptions(source)))
        {
            db.AddRange(reseller, tenant, rootAnchor, deviceAnchor);
            await db.SaveChangesAsync(cancellationToken);
        }

        var handsets = new List<LoadHandset>(count);
        for (var start = 0; start < count; start += Batch)
        {
            var size = Math.Min(Batch, count - start);
            var issued = new IssuedCertificate[size];
            // Key generation and signing dominate seeding; two at a time on the two cores.
            Parallel.For(0, size, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
                issued[i] = _issuer.IssueDevice(DeviceCa, MacAddress.Parse(MacOf(start + i))));
            await using var db = new PbxDbContext(DataServices.CreateOptions(source));
            var devices = new List<(Device Device, DeviceCertificate Certificate)>(size);
            for (var i = 0; i < size; i++)
            {
                var index = start + i;
                var extension = new Extension { TenantId = tenant.Id, Number = NumberOf(index), DisplayName = $"Load {index}", CreatedAt = now };
                var device = new Device { TenantId = tenant.Id, Mac = MacOf(index), Vendor = DeviceVendor.Other, Model = "loadtool", CreatedAt = now };
                var certificate = new DeviceCertificate
                {
                    TenantId = tenant.Id, DeviceId = device.Id, IssuerId = deviceAnchor.Id, Serial = issued[i].SerialNumber,
                    Fingerprint = issued[i].Fingerprint, Subject = issued[i].Certificate.Subject, Mac = device.Mac,
                    NotBefore = issued[i].Certificate.NotBefore.ToUniversalTime(), NotAfter = issued[i].Certificate.NotAfter.ToUniversalTime(),
                    CertificateDer = issued[i].Certificate.RawData, CreatedAt = now,
                };
                device.Lines.Add(new DeviceLine { TenantId = tenant.Id, Position = 1, ExtensionId = extension.Id });
                db.AddRange(extension, device, certificate);
                devices.Add((device, certificate));
                handsets.Add(new LoadHandset(extension.Number, device.Mac, issued[i]));
            }

            await db.SaveChangesAsync(cancellationToken);
            // Enrolment: the device is bound to this exact certificate (a second save, as the row it points at must exist).
            foreach (var (device, certificate) in devices)
            {
                device.ActiveCertificateId = certificate.Id;
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        return handsets;
    }

    public void Dispose()
    {
        DeviceCa.Dispose();
        Root.Dispose();
    }

    // A vendor anchor: platform anchors carry protected keys, which this run's throw-away CA need not.
    private static TrustAnchor Anchor(CertificateAuthority ca, string name, DateTimeOffset now)
    {
        var anchor = TrustAnchor.For(ca.Certificate, TrustAnchorKind.Vendor, name, now);
        anchor.Vendor = DeviceVendor.Other;
        return anchor;
    }
}
