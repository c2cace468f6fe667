using HostedPbx.Data.Entities;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests.Nodes;

/// <summary>
/// Two switch processes on loopback sharing one database (issue 14): 201 registers on node A, 202 on node B, and 201's
/// call to 202 crosses from A to B over mutual TLS with node certificates from one platform CA, SRTP on all three legs.
/// When B stops, 202's handset moves to A on its own (DNS SRV primary and backup) and takes calls there.
/// </summary>
public sealed class NodeCallTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Call_CalleeOnTheOtherNode_SpeechBothWaysAndSrtpOnEveryLeg_CalleeNodeStoppedMidCallLetsItFinish_CalleeMovesToTheSurvivingNode()
    {
        // Registrations of 10 s: a handset whose node has gone finds out at its next refresh (a real handset's is minutes).
        var fast = new Dictionary<string, string?> { ["Switch__NodeHeartbeatSeconds"] = "1", ["Switch__MinExpiresSeconds"] = "10" };
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

        // Bob's handset knows its switch by name, as a deployed handset does: DNS SRV gives node B as primary and node A
        // as backup (RFC 3263 §4.2, RFC 2782 priorities); libre tries the next target when one refuses or answers 503.
        await using var zone = await SrvZone.StartAsync("nodes.e2e.test", [sipPortB, a.SipPort], _cancel);
        // baresip hangs up when its audio file ends: 20 s of silence after the speech keep the call up past SIGTERM.
        var speech = await Audio.MakeSpeechAsync(a.WorkDirectory, 0.5, 20, _cancel);
        var ca = a.Root.Certificate.ExportCertificatePem();
        await using var bob = BaresipPeer.Start(a.WorkDirectory, "bob", "202", sipPortB, a.DeviceCertificate("202").CombinedPem(), ca, speech, 300,
            domain: new SwitchDomain(zone.Domain, $"127.0.0.1:{zone.Port}", 10));
        await using var alice = BaresipPeer.Start(a.WorkDirectory, "alice", "201", a.SipPort, a.DeviceCertificate("201").CombinedPem(), ca, speech, 300);
        string Logs() => a.Output + b.Output + alice.Log + bob.Log + zone.Log;
        // Node A learns that node B holds 202 (and connects to it) on its next heartbeat.
        await Eventually.GetAsync(
            () => Task.FromResult(a.Output.Contains("now routes 1 extensions to other switch nodes", StringComparison.Ordinal) ? (object)true : null),
            TimeSpan.FromSeconds(60), () => "node A routing 202 to node B\n" + Logs());
        await alice.CommandAsync("dial", $"sip:202@127.0.0.1:{a.SipPort}", _cancel);
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.CountAsync(c => c.AnsweredAt != null, _cancel) == 2 ? (object)true : null;
        }, TimeSpan.FromSeconds(60), () => "the call answered on both nodes\n" + Logs());

        // Node B is stopped (SIGTERM) mid-call: it takes no new calls, and this one goes on until alice's speech has
        // been played and her handset hangs up.
        var sigterm = TimeProvider.System.GetUtcNow();
        var stopped = b.StopAsync();
        var records = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            var ended = await db.CallRecords.AsNoTracking().Include(c => c.Legs).Where(c => c.EndedAt != null).ToListAsync(_cancel);
            return ended.Count == 2 ? ended : null;
        }, TimeSpan.FromSeconds(120), () => "both nodes' records of the ended call\n" + Logs());

        Assert.Equal(0, await stopped);
        Assert.Contains("drained: 0 calls still up", b.Output, StringComparison.Ordinal);
        foreach (var record in records)
        {
            Assert.True(record.EndedAt > sigterm, $"the call ended at {record.EndedAt:O}, before SIGTERM at {sigterm:O}\n{b.Output}");
            Assert.Equal((CallType.AcrossNodes, CallOutcome.Answered), (record.Type, record.Outcome));
            Assert.All(record.Legs, l => Assert.Equal(MediaProtection.Srtp, l.MediaProtection));
            Assert.Single(record.Legs, l => l.Kind == LegKind.Node && l.PeerCertificateVerified);
        }

        AssertSpeech(speech, 1, [alice, bob], Logs);

        // Node B has gone: bob's handset, refused by its primary, registers on the backup, and node A holds 202.
        var moved = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            var bobs = await db.Extensions.Where(e => e.Number == "202").Select(e => e.Id).SingleAsync(_cancel);
            return await db.Registrations.AsNoTracking().FirstOrDefaultAsync(r => r.ExtensionId == bobs && r.SwitchNode == a.NodeName, _cancel);
        }, TimeSpan.FromSeconds(90), () => "202 registered on node A\n" + Logs());
        await using (var db = database.CreateOwnerContext())
        {
            Assert.Equal([a.NodeName], await db.Registrations.Select(r => r.SwitchNode).Distinct().ToListAsync(_cancel));
        }

        // 201 calls 202 again: a call within node A, speech both ways.
        await alice.CommandAsync("dial", $"sip:202@127.0.0.1:{a.SipPort}", _cancel);
        var second = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().Include(c => c.Legs).Where(c => c.EndedAt != null && c.StartedAt > moved.RegisteredAt)
                .FirstOrDefaultAsync(_cancel);
        }, TimeSpan.FromSeconds(60), () => "the record of the second call\n" + Logs());
        Assert.Equal(CallOutcome.Answered, second.Outcome);
        Assert.All(second.Legs, l => Assert.Equal(MediaProtection.Srtp, l.MediaProtection));
        AssertSpeech(speech, 2, [alice, bob], Logs);

        // Issue 14 item 3: node A read the RTCP reports the handsets sent during these calls (baresip sends one every
        // few seconds), and exports them by leg kind.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var scrape = await http.GetStringAsync(new Uri($"http://127.0.0.1:{a.AdminPort}/metrics"), _cancel);
        var media = string.Join('\n', scrape.Split('\n').Where(l => l.StartsWith("hostedpbx_switch_media_", StringComparison.Ordinal)));
        Assert.Matches(@"hostedpbx_switch_media_rtcp_reports_total\{[^}]*leg_kind=""handset""[^}]*\} [1-9]", media);
        Assert.Contains("hostedpbx_switch_media_fraction_lost_total{", media, StringComparison.Ordinal);
        Assert.Contains("hostedpbx_switch_media_jitter_seconds_total{", media, StringComparison.Ordinal);
    }

    private static void AssertSpeech(string speech, int call, BaresipPeer[] peers, Func<string> logs)
    {
        foreach (var peer in peers)
        {
            var correlation = Audio.MaxNormalizedCorrelation(Audio.ReadWav(speech), Audio.ReadWav(Received(peer)[call - 1]), 8000);
            Assert.True(correlation >= 0.9, $"call {call}: speech correlation at {peer.Directory} {correlation:0.000}\n{logs()}");
        }
    }

    /// <summary>What the peer heard, one file per call, oldest first (baresip names them by the time the call started).</summary>
    private static string[] Received(BaresipPeer peer) => [.. Directory.GetFiles(peer.RecordingDirectory, "dump-*-dec.wav").Order(StringComparer.Ordinal)];

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
