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
    [InlineData("node a", "127.0.0.2")]
    [InlineData("node-a", "127.0.0.2,not a host")]
    public async Task IssueNodeCert_BadNameOrAddress_Exit2ClearMessageNothingWritten(string nodeName, string address)
    {
        var (exit, output) = await AdminAsync("--name", nodeName, "--address", address);

        Assert.Equal(2, exit);
        Assert.Contains(nodeName.Contains(' ', StringComparison.Ordinal) ? "--name must be" : "--address must be", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_work.FullName, "out")));
        await using var db = database.CreateOwnerContext();
        Assert.False(await db.AuditEvents.AnyAsync(e => e.Action == "node.certificate.issue", _cancel));
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
