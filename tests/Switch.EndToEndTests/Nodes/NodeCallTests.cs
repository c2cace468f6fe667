using HostedPbx.Data.Entities;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests.Nodes;

/// <summary>
/// Two switch processes on loopback sharing one database (issue 14): 201 registers on node A, 202 on node B, and 201's
/// call to 202 crosses from A to B over mutual TLS with node certificates from one platform CA, SRTP on all three legs.
/// </summary>
public sealed class NodeCallTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Call_CalleeOnTheOtherNode_SpeechBothWaysAndSrtpOnEveryLeg_CalleeNodeStoppedMidCallLetsItFinish()
    {
        var fast = new Dictionary<string, string?> { ["Switch__NodeHeartbeatSeconds"] = "1" };
        await using var a = await SwitchUnderTest.StartAsync(database, fast, null, _cancel);
        // Each node has a node certificate of its name from the platform CA (the test's root); node A restarts with its own.
        var nodeA = await WriteNodeCertificateAsync(a, a.NodeName, "a");
        var nodeBName = $"{a.NodeName}-b";
        var nodeB = await WriteNodeCertificateAsync(a, nodeBName, "b");
        var sipPortB = PartProcess.FreePort();
        var adminPortB = PartProcess.FreePort();
        var environmentB = new Dictionary<string, string?>(a.Environment)
        {
            ["Switch__NodeName"] = nodeBName,
            ["Switch__SipListen"] = $"127.0.0.1:{sipPortB}",
            ["Kestrel__Endpoints__Admin__Url"] = $"http://127.0.0.1:{adminPortB}",
            ["Switch__CertificatePath"] = nodeB.Certificate,
            ["Switch__PrivateKeyPath"] = nodeB.Key,
            ["Switch__MediaPortMin"] = (a.MediaPorts.Min + 100).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Switch__DrainGraceSeconds"] = "120",
        };
        a.Environment["Switch__CertificatePath"] = nodeA.Certificate;
        a.Environment["Switch__PrivateKeyPath"] = nodeA.Key;
        a.Environment["Switch__MediaPortMax"] = (a.MediaPorts.Min + 99).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await a.RestartAsync();
        await using var b = PartProcess.Start("Switch", environmentB);
        await b.WaitHealthyAsync(new Uri($"http://127.0.0.1:{adminPortB}/health"));

        var speech = await Audio.MakeSpeechAsync(a.WorkDirectory, _cancel);
        var ca = a.Root.Certificate.ExportCertificatePem();
        await using var bob = BaresipPeer.Start(a.WorkDirectory, "bob", "202", sipPortB, a.DeviceCertificate("202").CombinedPem(), ca, speech, 60);
        await using var alice = BaresipPeer.Start(a.WorkDirectory, "alice", "201", a.SipPort, a.DeviceCertificate("201").CombinedPem(), ca, speech, 40);
        // Node A learns that node B holds 202 (and connects to it) on its next heartbeat.
        await Eventually.GetAsync(
            () => Task.FromResult(a.Output.Contains("now routes 1 extensions to other switch nodes", StringComparison.Ordinal) ? (object)true : null),
            TimeSpan.FromSeconds(60), () => "node A routing 202 to node B\n" + a.Output + b.Output + alice.Log + bob.Log);
        await alice.CommandAsync("dial", $"sip:202@127.0.0.1:{a.SipPort}", _cancel);
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.CountAsync(c => c.AnsweredAt != null, _cancel) == 2 ? (object)true : null;
        }, TimeSpan.FromSeconds(60), () => "the call answered on both nodes\n" + a.Output + b.Output + alice.Log + bob.Log);

        // Node B is stopped (SIGTERM) mid-call: it takes no new calls, and this one goes on until alice hangs up.
        var sigterm = TimeProvider.System.GetUtcNow();
        var stopped = b.StopAsync();
        var records = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            var ended = await db.CallRecords.AsNoTracking().Include(c => c.Legs).Where(c => c.EndedAt != null).ToListAsync(_cancel);
            return ended.Count == 2 ? ended : null;
        }, TimeSpan.FromSeconds(120), () => "both nodes' records of the ended call\n" + a.Output + b.Output + alice.Log + bob.Log);

        Assert.Equal(0, await stopped);
        Assert.Contains("drained: 0 calls still up", b.Output, StringComparison.Ordinal);
        foreach (var record in records)
        {
            Assert.True(record.EndedAt > sigterm, $"the call ended at {record.EndedAt:O}, before SIGTERM at {sigterm:O}\n{b.Output}");
            Assert.Equal((CallType.AcrossNodes, CallOutcome.Answered), (record.Type, record.Outcome));
            Assert.All(record.Legs, l => Assert.Equal(MediaProtection.Srtp, l.MediaProtection));
            Assert.Single(record.Legs, l => l.Kind == LegKind.Node && l.PeerCertificateVerified);
        }

        foreach (var (peer, heard) in new[] { (bob, "bob"), (alice, "alice") })
        {
            var received = Directory.GetFiles(peer.RecordingDirectory, "dump-*-dec.wav").Single();
            var correlation = Audio.MaxNormalizedCorrelation(Audio.ReadWav(speech), Audio.ReadWav(received), 8000);
            Assert.True(correlation >= 0.9, $"speech correlation at {heard} {correlation:0.000}\n{a.Output}{b.Output}");
        }
    }

    private static async Task<(string Certificate, string Key)> WriteNodeCertificateAsync(SwitchUnderTest sut, string name, string file)
    {
        using var issued = sut.Issuer.IssueNode(sut.Root, name, ["127.0.0.1"]);
        var certificate = Path.Combine(sut.WorkDirectory, $"node-{file}.crt");
        var key = Path.Combine(sut.WorkDirectory, $"node-{file}.key");
        // The root goes into the file too: it is the platform CA a node recognises the others by.
        await File.WriteAllTextAsync(certificate, issued.CertificatePem() + "\n" + issued.ChainPem() + "\n" + sut.Root.Certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(key, issued.PrivateKeyPem());
        return (certificate, key);
    }
}
