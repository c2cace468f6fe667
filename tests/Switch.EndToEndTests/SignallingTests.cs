using HostedPbx.Data.Entities;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests;

/// <summary>
/// SIPp (through a socat TLS tunnel presenting 201's device certificate) drives what a softphone cannot easily show:
/// refusals, CANCEL and hold. One switch serves the whole class; each scenario is one call.
/// </summary>
public sealed class SignallingTests(PostgresFixture database, SippSwitchFixture fixture) : IClassFixture<SippSwitchFixture>
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Invite_PlainRtpOffer_Refused488AndNoCall()
    {
        var result = await RunAsync("PlainRtpOffer488.xml", "201", "202");

        Assert.True(result.Succeeded, "plain RTP offer was not refused with 488\n" + result);
        Assert.Contains("SIP/2.0 488", result.Messages, StringComparison.Ordinal);
        Assert.Contains("plain RTP", result.Messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invite_FromExtensionNotBoundToDevice_Refused403AndAudited()
    {
        // The tunnel presents device 201's certificate; the INVITE claims to come from 202.
        var result = await RunAsync("ForeignFrom403.xml", "202", "203");

        Assert.True(result.Succeeded, "INVITE from a foreign extension was not refused with 403\n" + result);
        // The switch writes audit events in the background: wait for the row, then check there is exactly one.
        var audit = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            var rows = await db.AuditEvents.AsNoTracking()
                .Where(a => a.Action == "sip.invite" && a.ActorName == SwitchUnderTest.MacOf("201")).ToListAsync(_cancel);
            return rows.Count > 0 ? rows : null;
        }, TimeSpan.FromSeconds(10), () => "the refusal's audit event\n" + fixture.Switch.Output);
        var refusal = Assert.Single(audit);
        Assert.Equal(AuditOutcome.Denied, refusal.Outcome);
        Assert.Contains("'202'", refusal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invite_UnknownExtension_Refused404()
    {
        var result = await RunAsync("UnknownExtension404.xml", "201", "999");

        Assert.True(result.Succeeded, "a call to 999 was not refused with 404\n" + result);
    }

    [Fact]
    public async Task Invite_CalleeNotRegistered_Refused480()
    {
        var result = await RunAsync("NotRegistered480.xml", "201", "203");

        Assert.True(result.Succeeded, "a call to 203 (no handset registered) was not refused with 480\n" + result);
    }

    [Fact]
    public async Task Cancel_WhileCalleeRings_Caller487AndCalleeStopsRinging()
    {
        var sut = fixture.Switch;
        await using var ringing = BaresipPeer.Start(
            sut.WorkDirectory, "carol", "203", sut.SipPort, sut.DeviceCertificate("203").CombinedPem(),
            sut.Root.Certificate.ExportCertificatePem(), fixture.Speech, 60, answerMode: "manual");
        await fixture.WaitRegisteredAsync("203", ringing);

        var result = await RunAsync("CancelBeforeAnswer.xml", "201", "203");

        Assert.True(result.Succeeded, "CANCEL did not give 200 and 487\n" + result + ringing.Log);
        var record = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().FirstOrDefaultAsync(c => c.ToParty == "203" && c.Outcome == CallOutcome.Cancelled, _cancel);
        }, TimeSpan.FromSeconds(10), () => "the cancelled call's record\n" + sut.Output);
        Assert.Equal(487, record.FinalSipStatus);
        Assert.Null(record.AnsweredAt);
        // The handset rang, then the switch's CANCEL closed the session on it (libre reports a received CANCEL as
        // ECONNRESET, "session closed: Connection reset by peer", while its TLS connection stays up).
        await Eventually.GetAsync(
            () => Task.FromResult(ringing.Log.Contains("Incoming call", StringComparison.Ordinal) && ringing.Log.Contains("session closed", StringComparison.Ordinal) ? (object?)true : null),
            TimeSpan.FromSeconds(10), () => "203 to ring and stop ringing\n" + ringing.Log + sut.Output);
    }

    [Fact]
    public async Task Invite_CalleeRejectsWhileRinging_Caller486()
    {
        var sut = fixture.Switch;
        await using var busy = BaresipPeer.Start(
            sut.WorkDirectory, "dave", "203", sut.SipPort, sut.DeviceCertificate("203").CombinedPem(),
            sut.Root.Certificate.ExportCertificatePem(), fixture.Speech, 60, answerMode: "manual");
        await fixture.WaitRegisteredAsync("203", busy);

        var call = RunAsync("CalleeBusy486.xml", "201", "203");
        await Eventually.GetAsync(
            () => Task.FromResult(busy.Log.Contains("Incoming call", StringComparison.Ordinal) ? (object?)true : null),
            TimeSpan.FromSeconds(10), () => "203 to ring\n" + busy.Log);
        // Hanging up a call that rings rejects it: baresip answers 486 Busy Here.
        await busy.CommandAsync("hangup", "", _cancel);
        var result = await call;

        Assert.True(result.Succeeded, "the callee's rejection did not reach the caller as 486\n" + result + busy.Log);
        var record = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().FirstOrDefaultAsync(c => c.ToParty == "203" && c.Outcome == CallOutcome.Busy, _cancel);
        }, TimeSpan.FromSeconds(10), () => "the busy call's record\n" + sut.Output);
        Assert.Equal(486, record.FinalSipStatus);
    }

    [Fact]
    public async Task ReInvite_HoldThenResume_AnsweredRecvOnlyThenSendRecv()
    {
        var result = await RunAsync("HoldResume.xml", "201", "202");

        Assert.True(result.Succeeded, "hold (sendonly → recvonly) or resume (sendrecv) was not answered as RFC 3264 §8.4 says\n" + result + fixture.Callee.Log + fixture.Switch.Output);
        var record = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().Include(c => c.Legs)
                .FirstOrDefaultAsync(c => c.ToParty == "202" && c.Outcome == CallOutcome.Answered && c.EndedAt != null, _cancel);
        }, TimeSpan.FromSeconds(10), () => "the held call's record\n" + fixture.Switch.Output);
        Assert.All(record.Legs, leg => Assert.Equal(MediaProtection.Srtp, leg.MediaProtection));
    }

    [Fact]
    public async Task Scan_SipviciousSvmap_FindsNoPlainSipOnTheSwitch()
    {
        using var control = new PlainSipResponder();
        var sipPort = fixture.Switch.SipPort;

        // svmap (UDP, OPTIONS) binds to loopback only; the standard range is scanned as an attacker would.
        var (exitCode, output) = await Tool.RunAsync(
            "svmap", ["-b", "127.0.0.1", "-x", "127.0.0.1", "-p", $"5060-5070,{sipPort},{sipPort + 1},{control.Port}", "127.0.0.1"],
            TimeSpan.FromSeconds(30), fixture.Switch.WorkDirectory, _cancel);

        Assert.True(exitCode == 0, $"svmap failed:\n{output}");
        Assert.Contains($"127.0.0.1:{control.Port}", output, StringComparison.Ordinal);
        var found = output.Split('\n').Where(line => line.StartsWith("| 127.", StringComparison.Ordinal)).ToList();
        Assert.True(found.Count == 1, $"svmap found SIP answering in the clear besides the control:\n{output}");
    }

    [Fact]
    public async Task Connect_PlainSipOverTcpToTheSipPort_NoSipAnswer()
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync("127.0.0.1", fixture.Switch.SipPort, _cancel);
        var options = "OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK1\r\nFrom: <sip:x@127.0.0.1>;tag=1\r\n"
            + "To: <sip:127.0.0.1>\r\nCall-ID: plain@127.0.0.1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        await tcp.GetStream().WriteAsync(System.Text.Encoding.ASCII.GetBytes(options), _cancel);

        // The TLS listener takes the bytes for a broken ClientHello and closes; nothing it says is SIP.
        var answer = new MemoryStream();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(_cancel);
        limit.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await tcp.GetStream().CopyToAsync(answer, limit.Token);
        }
        catch (IOException)
        {
            // Reset by the switch: also no SIP.
        }

        Assert.False(limit.IsCancellationRequested, "the switch kept a plain-TCP connection open for 10 s");
        Assert.DoesNotContain("SIP/2.0", System.Text.Encoding.ASCII.GetString(answer.ToArray()), StringComparison.Ordinal);
    }

    private Task<SippResult> RunAsync(string scenario, string me, string callee) =>
        SippRunner.RunAsync(scenario, fixture.As201, me, callee, fixture.Switch.WorkDirectory, _cancel);
}
