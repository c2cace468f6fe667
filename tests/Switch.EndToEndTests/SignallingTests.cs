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
        await using var db = database.CreateOwnerContext();
        var audit = await db.AuditEvents.AsNoTracking()
            .Where(a => a.Action == "sip.invite" && a.ActorName == SwitchUnderTest.MacOf("201")).ToListAsync(_cancel);
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
        }, TimeSpan.FromSeconds(10), "the cancelled call's record\n" + sut.Output);
        Assert.Equal(487, record.FinalSipStatus);
        Assert.Null(record.AnsweredAt);
        // The handset rang, then the switch's CANCEL closed the session on it (libre reports a received CANCEL as
        // ECONNRESET, "session closed: Connection reset by peer", while its TLS connection stays up).
        await Eventually.GetAsync(
            () => Task.FromResult(ringing.Log.Contains("Incoming call", StringComparison.Ordinal) && ringing.Log.Contains("session closed", StringComparison.Ordinal) ? (object?)true : null),
            TimeSpan.FromSeconds(10), "203 to ring and stop ringing\n" + ringing.Log + sut.Output);
    }

    [Fact]
    public async Task ReInvite_HoldThenResume_AnsweredRecvOnlyThenSendRecv()
    {
        var result = await RunAsync("HoldResume.xml", "201", "202");

        Assert.True(result.Succeeded, "hold (sendonly → recvonly) or resume (sendrecv) was not answered as RFC 3264 §8.4 says\n" + result + fixture.Callee.Log);
        var record = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().Include(c => c.Legs)
                .FirstOrDefaultAsync(c => c.ToParty == "202" && c.Outcome == CallOutcome.Answered && c.EndedAt != null, _cancel);
        }, TimeSpan.FromSeconds(10), "the held call's record\n" + fixture.Switch.Output);
        Assert.All(record.Legs, leg => Assert.Equal(MediaProtection.Srtp, leg.MediaProtection));
    }

    private Task<SippResult> RunAsync(string scenario, string me, string callee) =>
        SippRunner.RunAsync(scenario, fixture.As201, me, callee, fixture.Switch.WorkDirectory, _cancel);
}
