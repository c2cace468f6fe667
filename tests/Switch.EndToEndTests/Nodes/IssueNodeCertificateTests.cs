using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Certificates;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests.Nodes;

/// <summary>
/// The Admin tool's <c>issue-node-cert</c> (issue 14, used by <c>./pbx run --nodes 2</c>): a node certificate from the
/// platform CA with the node's name and address, its key readable by its owner only, and an audit row.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class IssueNodeCertificateTests(PostgresFixture database) : IAsyncLifetime, IDisposable
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("hostedpbx-node-cert-");

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task IssueNodeCert_NameAndAddress_CertificateOfThePlatformCaKeyMode600Audited()
    {
        var (exit, output) = await AdminAsync("--name", "node-a", "--address", "127.0.0.2");

        Assert.True(exit == 0, output);
        var certificateFile = Path.Combine(_work.FullName, "out", "node-a.crt");
        var keyFile = Path.Combine(_work.FullName, "out", "node-a.key");
        using var node = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        Assert.True(node.HasPrivateKey);
        Assert.True(NodeCertificate.TryReadNodeName(node, out var name));
        Assert.Equal("node-a", name);
        Assert.Contains(System.Net.IPAddress.Parse("127.0.0.2"), node.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateIPAddresses());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));

        // The file carries the root after the leaf: the platform CA on record, which signed it.
        var pems = new X509Certificate2Collection();
        pems.ImportFromPemFile(certificateFile);
        await using var db = database.CreateOwnerContext();
        var root = await db.TrustAnchors.AsNoTracking().SingleAsync(a => a.Kind == Data.Entities.TrustAnchorKind.PlatformRoot, _cancel);
        Assert.Equal(root.Fingerprint, Data.Certificates.CertificateIdentity.Sha256Fingerprint(pems[1]));
        using var chain = new X509Chain { ChainPolicy = { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck } };
        chain.ChainPolicy.CustomTrustStore.Add(pems[1]);
        Assert.True(chain.Build(node), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        var audit = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == "node.certificate.issue", _cancel);
        Assert.Equal(("node-a", Data.Entities.AuditOutcome.Success), (audit.TargetId, audit.Outcome));
        Assert.Contains(node.SerialNumber, audit.Reason!, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("PRIVATE KEY", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("node a", "127.0.0.2", "--name must be a DNS label", "--name 'node a' is not a DNS label")]
    [InlineData(null, "127.0.0.2", "--name is missing", "--name is missing")]
    [InlineData("node-a", "127.0.0.2,not a host", "--address must be", "--address 'not a host' is not an IP literal")]
    [InlineData("node-a", "pbx.example.test", "--address must be", "--address 'pbx.example.test' is not an IP literal")]
    public async Task IssueNodeCert_BadNameOrAddress_Exit2ClearMessageNothingWrittenRefusalAudited(
        string? nodeName, string address, string message, string check)
    {
        string[] name = nodeName is null ? [] : ["--name", nodeName];
        var (exit, output) = await AdminAsync([.. name, "--address", address]);

        Assert.Equal(2, exit);
        Assert.Contains(message, output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_work.FullName, "out")));
        await using var db = database.CreateOwnerContext();
        var audit = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == "node.certificate.issue", _cancel);
        Assert.Equal((Data.Entities.AuditOutcome.Denied, "issue-node-cert refused: " + check), (audit.Outcome, audit.Reason));
        Assert.False(await db.TrustAnchors.AnyAsync(_cancel));
    }

    [Fact]
    public async Task IssueNodeCert_OutCannotBeWritten_Exit2NothingIssuedRefusalAudited()
    {
        // A folder under a regular file cannot be made, not even by root.
        var file = Path.Combine(_work.FullName, "a-file");
        await File.WriteAllTextAsync(file, "", _cancel);

        var (exit, output) = await AdminAsync("--name", "node-a", "--address", "127.0.0.2", "--out", Path.Combine(file, "nodes"));

        Assert.Equal(2, exit);
        Assert.Contains("--out", output, StringComparison.Ordinal);
        Assert.Contains("cannot be written to", output, StringComparison.Ordinal);
        await using var db = database.CreateOwnerContext();
        var audit = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == "node.certificate.issue", _cancel);
        Assert.Equal(Data.Entities.AuditOutcome.Denied, audit.Outcome);
        Assert.StartsWith($"issue-node-cert refused: --out '{Path.Combine(file, "nodes")}' cannot be written to", audit.Reason, StringComparison.Ordinal);
        Assert.False(await db.TrustAnchors.AnyAsync(_cancel));
    }

    private async Task<(int ExitCode, string Output)> AdminAsync(params string[] args)
    {
        var keyFile = Path.Combine(_work.FullName, "master.key");
        await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), _cancel);
        await using var admin = PartProcess.Start("Admin", new Dictionary<string, string?>(),
            ["issue-node-cert", "--connection", database.OwnerConnectionString, "--master-key-file", keyFile, .. args, "--out", Path.Combine(_work.FullName, "out")]);
        var exit = await admin.WaitForExitAsync();
        return (exit, admin.Output + admin.Error);
    }

    public void Dispose() => _work.Delete(recursive: true);
}
