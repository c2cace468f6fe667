using System.Net;
using System.Net.Security;
using HostedPbx.Data.Calls;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Calls;
using HostedPbx.Switch.Calls.Nodes;
using HostedPbx.Switch.Nodes;
using HostedPbx.Switch.Sip.Transport.Peers;
using HostedPbx.Switch.Tests.Calls.Support;
using HostedPbx.Switch.Tests.Transport;
using Microsoft.Extensions.Options;

namespace HostedPbx.Switch.Tests.Nodes;

/// <summary>
/// Two switch nodes in one process (issue 14): node A's connector reaches node B's listener over an in-memory TLS link, each
/// presenting its node certificate from one platform CA; 201 is registered on A and 202 on B. Real TLS and SRTP bytes, media
/// over loopback; only time is fake.
/// </summary>
public sealed class NodeCallTests : IAsyncDisposable
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly CertificateIssuer _issuer = new(Options.Create(new CertificateAuthorityOptions()), TimeProvider.System);
    private readonly CertificateAuthority _platform;
    private readonly IssuedCertificate _nodeA;
    private readonly IssuedCertificate _nodeB;
    private readonly Dictionary<string, LiveNode> _live = [];
    private readonly Guid _tenant = Guid.CreateVersion7();
    private readonly List<CallHarness> _harnesses = [];

    public NodeCallTests()
    {
        _platform = _issuer.CreateRoot();
        _nodeA = _issuer.IssueNode(_platform, "node-a", ["127.0.0.2"]);
        _nodeB = _issuer.IssueNode(_platform, "node-b", ["127.0.0.3"]);
        _live["node-a"] = new LiveNode("node-a", "127.0.0.2:5061", CertificateIdentity.Sha256Fingerprint(_nodeA.Certificate), false);
        _live["node-b"] = new LiveNode("node-b", "127.0.0.3:5061", CertificateIdentity.Sha256Fingerprint(_nodeB.Certificate), false);
    }

    [Fact]
    public async Task Call_CalleeRegisteredOnTheOtherNode_RingsThereAudioFlowsAndBothRecordsShowTheNodeLegEncrypted()
    {
        var (a, b) = await NodesAsync(36000);
        var alice = await a.ConnectAsync(_tenant, "201", _ct);
        var bob = await b.ConnectAsync(_tenant, "202", _ct);

        var call = await alice.InviteAsync("202", _ct);
        var invite = await bob.RequestAsync("INVITE", _ct);
        var bobDialog = await bob.RingAsync(invite, _ct);
        await alice.ResponseAsync(call.CallId, "INVITE", 180, _ct);
        var bobMedia = await bob.AcceptAsync(invite, bobDialog, _ct);
        var aliceMedia = await alice.CompleteAsync(call, _ct);
        await bob.RequestAsync("ACK", _ct);

        // Node B's handset sees the caller node A asserted.
        Assert.StartsWith("<sip:201@", From(invite), StringComparison.Ordinal);
        await alice.ConverseAsync(aliceMedia, bob, bobMedia, _ct);
        var atA = Assert.IsType<HandsetLeg>(Assert.Single(a.Calls.ActiveCalls).Callee);
        var atB = Assert.IsType<HandsetLeg>(Assert.Single(b.Calls.ActiveCalls).Caller);
        Assert.Equal((HostedPbx.Switch.Calls.LegKind.Node, "node-b"), (atA.Kind, atA.Hop!.NodeName));
        Assert.Equal((HostedPbx.Switch.Calls.LegKind.Node, "node-a", _tenant), (atB.Kind, atB.Hop!.NodeName, atB.TenantId));

        await alice.SendAsync(alice.InDialog("BYE", call), _ct);
        await alice.ResponseAsync(call.CallId, "BYE", 200, _ct);
        var bye = await bob.RequestAsync("BYE", _ct);
        await bob.OkAsync(bye, _ct);

        foreach (var (record, other) in new[] { (await EndedRecordAsync(a), "node-b"), (await EndedRecordAsync(b), "node-a") })
        {
            var node = Assert.Single(record.Legs, l => l.Kind == Data.Entities.LegKind.Node);
            Assert.Equal((CallType.AcrossNodes, "201", "202", CallOutcome.Answered), (record.Type, record.FromParty, record.ToParty, record.Outcome));
            Assert.Equal((other, true, NodeRecognizer.VerifiedBy, MediaProtection.Srtp, false),
                (node.Party, node.PeerCertificateVerified, node.PeerVerifiedBy, node.MediaProtection, node.LeavesNetwork));
            Assert.StartsWith("TLSv1.", node.TlsVersion, StringComparison.Ordinal);
            Assert.All(record.Legs, l => Assert.Equal(MediaProtection.Srtp, l.MediaProtection));
            var statement = SecurityStatement.Render(record);
            Assert.Contains("carried between two of our switch nodes", statement, StringComparison.Ordinal);
            Assert.Contains($"our switch node {other}", statement, StringComparison.Ordinal);
            Assert.DoesNotContain("NOT encrypted", statement, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Invite_HandsetSendsTheNodeOnlyHeader_Refused403AndAudited()
    {
        var (_, b) = await NodesAsync(36040);
        var bob = await b.ConnectAsync(_tenant, "202", _ct);
        var mallory = await b.ConnectAsync(_tenant, "203", _ct);

        // A handset writes the INVITE a node would: asserted caller 201 of the tenant, and the tenant header.
        var sdp = HostedPbx.Switch.Media.Sdp.SdpWriter.Write(HostedPbx.Switch.Media.Sdp.SdesOfferAnswer.CreateOffer(mallory.LocalMedia).Offer);
        var callId = $"{Guid.NewGuid():N}@phone";
        await mallory.SendAsync(mallory.Request("INVITE", "sip:202@127.0.0.1:5061", callId, "<sip:203@127.0.0.1>;tag=m1", "<sip:202@127.0.0.1>", 1, mallory.ContactUri, sdp,
            headers: $"P-Asserted-Identity: <sip:201@127.0.0.2:5061>\r\n{NodeAssertion.TenantHeader}: {_tenant}\r\n"), _ct);

        await mallory.ResponseAsync(callId, "INVITE", 403, _ct);
        Assert.Empty(b.Calls.ActiveCalls);
        Assert.False(bob.HasReceived<HostedPbx.Switch.Sip.Messages.SipRequest>(r => r.MethodName == "INVITE"));
        Assert.Contains(Audits(b), e => e.Action == "sip.invite" && e.Outcome == AuditOutcome.Denied
            && e.Reason!.Contains($"node-only header {NodeAssertion.TenantHeader}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invite_NodeAssertsACallerTheTenantDoesNotHave_RefusedThereAndAudited()
    {
        // Node B does not know 201 in this tenant (as if node A asserted a caller of another tenant).
        var (a, b) = await NodesAsync(36080, bKnowsCaller: false);
        var alice = await a.ConnectAsync(_tenant, "201", _ct);
        await b.ConnectAsync(_tenant, "202", _ct);

        var call = await alice.InviteAsync("202", _ct);

        // Node B refuses node A's INVITE (403); the caller hears that 202 cannot be reached.
        await alice.ResponseAsync(call.CallId, "INVITE", 480, _ct);
        Assert.Empty(b.Calls.ActiveCalls);
        Assert.Contains(Audits(b), e => e.Action == "sip.invite" && e.ActorName == "node-a"
            && e.Reason!.Contains("asserted caller '201', which is no extension of tenant", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Call_CalleeNodeGoesAwayWhileRinging_CallerGetsAFinalStatus()
    {
        var (a, b) = await NodesAsync(36120);
        var alice = await a.ConnectAsync(_tenant, "201", _ct);
        var bob = await b.ConnectAsync(_tenant, "202", _ct);

        var call = await alice.InviteAsync("202", _ct);
        await bob.RingAsync(await bob.RequestAsync("INVITE", _ct), _ct);
        await alice.ResponseAsync(call.CallId, "INVITE", 180, _ct);
        // Node B's end of the link closes (the node stops or dies).
        foreach (var link in b.Connections.All.Where(c => c.IsPeer))
        {
            link.Close();
        }

        var final = await alice.NextAsync<HostedPbx.Switch.Sip.Messages.SipResponse>(r => r.CallId == call.CallId && r.StatusCode >= 300, _ct);
        Assert.InRange(final.StatusCode, 400, 599);
        Assert.Equal(CallOutcome.Unavailable, (await EndedRecordAsync(a)).Outcome);
    }

    private async Task<(CallHarness A, CallHarness B)> NodesAsync(int mediaPortMin, bool bKnowsCaller = true)
    {
        CallHarness? b = null;
        var a = Node("node-a", _nodeA, mediaPortMin, (connector, target, ct) =>
        {
            // Node A dials node B: an in-memory pair whose far end node B's listener serves.
            var (client, server) = DuplexPipeStream.CreatePair();
            _ = Task.Run(() => b!.ServeAsync(server, new IPEndPoint(IPAddress.Parse("127.0.0.2"), 45000 + (mediaPortMin % 1000))), ct);
            return connector.HandshakeAsync(target, client, new IPEndPoint(IPAddress.Parse("127.0.0.3"), 5061), ct);
        });
        b = Node("node-b", _nodeB, mediaPortMin + 20, (_, _, _) => Task.FromResult(new PeerConnectOutcome(null, "node B dials nobody in this test")));
        a.AddTenant(id: _tenant);
        b.AddTenant(id: _tenant);
        // Each node knows the tenant's extensions from the shared directory; 202 is registered on node B.
        a.AddExtension(_tenant, "202");
        if (bKnowsCaller)
        {
            b.AddExtension(_tenant, "201");
        }

        a.Calls.NodeRoutes!.Update(new Dictionary<(Guid, string), string> { [(_tenant, "202")] = "node-b" });
        Assert.True(await a.Calls.NodeRoutes.ConnectAsync(_live["node-b"], _ct));
        return (a, b);
    }

    private CallHarness Node(string name, IssuedCertificate certificate, int mediaPortMin, Func<PeerConnector, PeerTarget, CancellationToken, Task<PeerConnectOutcome>> link)
    {
        var recognizer = new NodeRecognizer(new PeerTrust([_platform.Certificate]), TimeProvider.System, n => _live.GetValueOrDefault(n)?.CertificateFingerprint);
        var own = SslStreamCertificateContext.Create(certificate.Certificate, [_platform.Certificate], offline: true);
        var harness = new CallHarness(mediaPortMin, mediaPortMin + 19, node: new NodeSide(name, own, recognizer, () => _live, link));
        _harnesses.Add(harness);
        return harness;
    }

    private async Task<CallRecord> EndedRecordAsync(CallHarness harness)
    {
        while (true)
        {
            var record = await harness.Records.Pending.ReadAsync(_ct);
            if (record.EndedAt is not null)
            {
                return record;
            }
        }
    }

    private static List<AuditEvent> Audits(CallHarness harness)
    {
        var audits = new List<AuditEvent>();
        while (harness.Audit.Reader.TryRead(out var e))
        {
            audits.Add(e);
        }

        return audits;
    }

    private static string From(HostedPbx.Switch.Sip.Messages.SipRequest request) =>
        request.TryGetHeader(HostedPbx.Switch.Sip.Syntax.KnownHeader.From, out var from) ? System.Text.Encoding.UTF8.GetString(from) : "";

    public async ValueTask DisposeAsync()
    {
        foreach (var harness in _harnesses)
        {
            await harness.DisposeAsync();
        }

        _nodeA.Dispose();
        _nodeB.Dispose();
        _platform.Dispose();
    }
}
