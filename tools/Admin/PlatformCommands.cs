using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Seeding;
using HostedPbx.Data.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HostedPbx.Admin;

/// <summary>The platform CA and the certificates the parts and the demo handsets need, written as PEM files.</summary>
internal sealed class PlatformCommands(string connection, string masterKeyFile, TimeProvider time) : IDisposable
{
    private readonly KeyProtector _protector = new KeyOptions { MasterKeyFile = masterKeyFile }.CreateProtector();
    private readonly CertificateIssuer _issuer = new(Options.Create(new CertificateAuthorityOptions()), time);

    private PlatformAuthority Authority => new(_issuer, _protector, time);

    /// <summary>Creates the CA when absent; writes the server certificate for the hosts and the root as ca.crt.</summary>
    public async Task<string> EnsureCaAsync(string outDir, IReadOnlyList<string> hosts, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var created = await Authority.EnsureAsync(db, cancellationToken);
        Directory.CreateDirectory(outDir);
        using var root = await Authority.LoadRootAsync(db, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(outDir, "ca.crt"), root.Certificate.ExportCertificatePem() + "\n", cancellationToken);
        var certificate = Path.Combine(outDir, "server.crt");
        if (created || !File.Exists(certificate) || !ActsAsClient(certificate))
        {
            // The root signs the server certificate, so a handset needs only ca.crt to verify the switch; the switch also
            // presents it as a client to carriers and other nodes (mutual TLS).
            using var server = _issuer.IssueServer(root, hosts, alsoClientAuth: true);
            await File.WriteAllTextAsync(certificate, server.CertificatePem() + "\n", cancellationToken);
            await WriteSecretAsync(Path.Combine(outDir, "server.key"), server.PrivateKeyPem(), cancellationToken);
        }

        return created ? "admin: created the platform CA" : "admin: the platform CA is on record";
    }

    /// <summary>
    /// Whether a server certificate written earlier may also be presented as a TLS client (carriers and nodes ask for one);
    /// one issued before the switch needed it is issued again.
    /// </summary>
    private static bool ActsAsClient(string path)
    {
        using var existing = X509Certificate2.CreateFromPem(File.ReadAllText(path));
        return existing.Extensions.OfType<X509EnhancedKeyUsageExtension>()
            .Any(e => e.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == "1.3.6.1.5.5.7.3.2"));
    }

    /// <summary>Issues the demo handsets' certificates once, writing cert + key PEM per MAC (baresip's form).</summary>
    public async Task IssueDemoHandsetsAsync(string devicesDir, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        Directory.CreateDirectory(devicesDir);
        foreach (var (_, _, macText) in DemoSeeder.Handsets)
        {
            var file = Path.Combine(devicesDir, $"{macText}.pem");
            var device = await db.Devices.SingleOrDefaultAsync(d => d.Mac == macText, cancellationToken);
            if (device is null || File.Exists(file))
            {
                continue;
            }

            var (row, issued) = await Authority.IssueDeviceAsync(db, device, null, cancellationToken);
            using (issued)
            {
                await WriteSecretAsync(file, issued.CombinedPem(), cancellationToken);
            }

            // Delivered: the platform keeps no copy of the handset's key.
            row.ProtectedPrivateKey = null;
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private async Task<PbxDbContext> OpenAsync(CancellationToken cancellationToken)
    {
        var db = new PbxDbContext(DataServices.CreateOptions(new NpgsqlDataSourceBuilder(connection).Build()));
        db.UseScope(DbScope.System);
        await db.Database.OpenConnectionAsync(cancellationToken);
        return db;
    }

    private static async Task WriteSecretAsync(string path, string text, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(path, text, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    public void Dispose() => _protector.Dispose();
}
