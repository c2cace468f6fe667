using System.Net;
using System.Net.Sockets;
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
/// (mode 600), and audited. The node is bound to its certificate as a handset is: the name is in the certificate. A bad
/// argument (no name, a name that is no DNS label, an address that is no IP literal, an --out that cannot be written) is
/// refused with exit 2 before anything is issued, and audited with the check that failed.
/// </summary>
internal static partial class NodeCertificateCommand
{
    public static async Task<int> RunAsync(string connection, string masterKeyFile, string? name, string? addresses, string? outDir,
        TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var dataSource = new NpgsqlDataSourceBuilder(connection).Build();
        await using var db = new PbxDbContext(DataServices.CreateOptions(dataSource));
        db.UseScope(DbScope.System);
        var hosts = (addresses ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (Check(name, hosts, outDir) is { } refusal)
        {
            // A bad argument writes nothing but the audit row that says which check failed.
            await AuditAsync(db, time, name, AuditOutcome.Denied, refusal.Audit, cancellationToken);
            await error.WriteLineAsync(refusal.Message);
            return 2;
        }

        using var protector = new KeyOptions { MasterKeyFile = masterKeyFile }.CreateProtector();
        var issuer = new CertificateIssuer(Options.Create(new CertificateAuthorityOptions()), time);
        var authority = new PlatformAuthority(issuer, protector, time);
        await authority.EnsureAsync(db, cancellationToken);
        using var root = await authority.LoadRootAsync(db, cancellationToken);
        using var node = issuer.IssueNode(root, name!, hosts);
        var certificate = Path.Combine(outDir!, $"{name}.crt");
        var key = Path.Combine(outDir!, $"{name}.key");
        // The key first, created with mode 600 before a byte is written: no moment when others may read it.
        await WriteSecretAsync(key, node.PrivateKeyPem(), cancellationToken);
        await File.WriteAllTextAsync(certificate, node.CertificatePem() + "\n" + root.Certificate.ExportCertificatePem() + "\n", cancellationToken);
        await AuditAsync(db, time, name, AuditOutcome.Success,
            $"serial {node.SerialNumber}, fingerprint {node.Fingerprint}, addresses {string.Join(",", hosts)}", cancellationToken);
        await output.WriteLineAsync($"admin: issued the certificate of switch node {name} ({string.Join(", ", hosts)}): {certificate}, key {key}");
        return 0;
    }

    /// <summary>The first argument that is wrong: the message for the operator and the audit's word for the check.</summary>
    private static (string Message, string Audit)? Check(string? name, string[] hosts, string? outDir)
    {
        if (string.IsNullOrEmpty(name))
        {
            return ("admin: --name is missing: give the switch node's name (as Switch:NodeName).", "issue-node-cert refused: --name is missing");
        }

        // RFC 1035 §2.3.1 as relaxed by RFC 1123 §2.1: a DNS label, so the name fits in a host name and in the node's URN;
        // every such label is a valid Switch:NodeName, so a certificate is never issued for a name no node can take.
        if (!DnsLabel().IsMatch(name))
        {
            return ("admin: --name must be a DNS label: 1-63 letters, digits or dashes, not starting or ending with a dash.",
                $"issue-node-cert refused: --name '{Bounded(name)}' is not a DNS label");
        }

        var badHost = hosts.FirstOrDefault(h => !IsIpLiteral(h));
        if (hosts.Length == 0 || badHost is not null)
        {
            var which = badHost is null ? "--address is missing" : $"--address '{Bounded(badHost)}' is not an IP literal";
            return ("admin: --address must be the node's IP addresses (literals such as 127.0.0.2 or ::1), separated by commas.",
                $"issue-node-cert refused: {which}");
        }

        if (string.IsNullOrEmpty(outDir))
        {
            return ("admin: --out is missing: give the folder for the node's certificate and key.", "issue-node-cert refused: --out is missing");
        }

        try
        {
            // Writable now: the folder is made and a file created and removed in it, before the CA issues anything.
            Directory.CreateDirectory(outDir);
            using (new FileStream(Path.Combine(outDir, $".{name}.probe"), FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return ($"admin: --out '{outDir}' cannot be written to ({e.Message}).",
                $"issue-node-cert refused: --out '{Bounded(outDir)}' cannot be written to ({e.GetType().Name})");
        }

        return null;
    }

    // An IPv4 literal in dotted-quad form (not the shorthand 127.1) or an IPv6 literal.
    private static bool IsIpLiteral(string host) =>
        IPAddress.TryParse(host, out var address)
        && (address.AddressFamily == AddressFamily.InterNetworkV6 ? host.Contains(':', StringComparison.Ordinal) : address.ToString() == host);

    private static async Task AuditAsync(PbxDbContext db, TimeProvider time, string? name, AuditOutcome outcome, string reason, CancellationToken cancellationToken)
    {
        db.AuditEvents.Add(new AuditEvent
        {
            OccurredAt = time.GetUtcNow(), ActorKind = AuditActorKind.System, ActorName = "admin", Action = "node.certificate.issue",
            TargetKind = "switch_node", TargetId = string.IsNullOrEmpty(name) ? null : Bounded(name), Outcome = outcome, Reason = reason,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    // What the operator typed, as the audit keeps it: at most 64 characters, control characters escaped.
    private static string Bounded(string value)
    {
        var text = value.Length > 64 ? value[..64] + "…" : value;
        return string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
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

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex DnsLabel();
}
