using System.Net;
using System.Text.RegularExpressions;
using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Tenancy;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HostedPbx.Admin;

/// <summary>
/// <c>issue-node-cert --name N --address A[,B] --out DIR</c> (issue 14): a switch node's certificate from the platform CA
/// (created when absent), written as DIR/N.crt (leaf, then the root the nodes recognise each other by) and DIR/N.key
/// (mode 600), and audited. The node is bound to its certificate as a handset is: the name is in the certificate.
/// </summary>
internal static partial class NodeCertificateCommand
{
    public static async Task<int> RunAsync(string connection, string masterKeyFile, string name, string addresses, string outDir,
        TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken)
    {
        var hosts = addresses.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // The same rule as Switch:NodeName, so a certificate is never issued for a name no node can take.
        if (!NodeName().IsMatch(name))
        {
            await error.WriteLineAsync("admin: --name must be 1-100 letters, digits, dots, dashes or underscores (as Switch:NodeName).");
            return 2;
        }

        if (hosts.Length == 0 || hosts.Any(h => !IPAddress.TryParse(h, out _) && Uri.CheckHostName(h) != UriHostNameType.Dns))
        {
            await error.WriteLineAsync("admin: --address must be the node's IP addresses or host names, separated by commas.");
            return 2;
        }

        using var protector = new KeyOptions { MasterKeyFile = masterKeyFile }.CreateProtector();
        var issuer = new CertificateIssuer(Options.Create(new CertificateAuthorityOptions()), time);
        var authority = new PlatformAuthority(issuer, protector, time);
        await using var dataSource = new NpgsqlDataSourceBuilder(connection).Build();
        await using var db = new PbxDbContext(DataServices.CreateOptions(dataSource));
        db.UseScope(DbScope.System);
        await authority.EnsureAsync(db, cancellationToken);
        using var root = await authority.LoadRootAsync(db, cancellationToken);
        using var node = issuer.IssueNode(root, name, hosts);
        Directory.CreateDirectory(outDir);
        var certificate = Path.Combine(outDir, $"{name}.crt");
        var key = Path.Combine(outDir, $"{name}.key");
        // The key first, created with mode 600 before a byte is written: no moment when others may read it.
        await WriteSecretAsync(key, node.PrivateKeyPem(), cancellationToken);
        await File.WriteAllTextAsync(certificate, node.CertificatePem() + "\n" + root.Certificate.ExportCertificatePem() + "\n", cancellationToken);
        db.AuditEvents.Add(new AuditEvent
        {
            OccurredAt = time.GetUtcNow(), ActorKind = AuditActorKind.System, ActorName = "admin", Action = "node.certificate.issue",
            TargetKind = "switch_node", TargetId = name, Outcome = AuditOutcome.Success,
            Reason = $"serial {node.SerialNumber}, fingerprint {node.Fingerprint}, addresses {string.Join(",", hosts)}",
        });
        await db.SaveChangesAsync(cancellationToken);
        await output.WriteLineAsync($"admin: issued the certificate of switch node {name} ({string.Join(", ", hosts)}): {certificate}, key {key}");
        return 0;
    }

    private static async Task WriteSecretAsync(string path, string text, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var stream = new FileStream(path, options))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync(text.AsMemory(), cancellationToken);
        }

        if (!OperatingSystem.IsWindows())
        {
            // A file that existed keeps its mode on open: set it again.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex NodeName();
}
