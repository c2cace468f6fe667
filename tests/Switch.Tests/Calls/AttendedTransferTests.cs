using System.Text;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Calls;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Tests.Calls.Support;

namespace HostedPbx.Switch.Tests.Calls;

/// <summary>
/// Attended transfer (REFER with Replaces, RFC 3515 and RFC 3891; RFC 5589 §7): Alice (201) talks to Bob (202), puts him
/// on hold and calls Carol (203), then REFERs Bob's call with Refer-To naming Carol and Replaces naming her own dialog
/// with the switch in Carol's call. The switch re-INVITEs Bob to Alice's side of Carol's bridge, hangs up both of
/// Alice's legs, and tells her "200 OK" by NOTIFY; Bob and Carol then hear each other.
/// </summary>
public sealed class AttendedTransferTests : IAsyncLifetime
{
    private readonly CallHarness _switch = new(mediaPortMin: 35200, mediaPortMax: 35399);
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private Guid _tenant;
    private TestPhone _alice = null!;
    private TestPhone _bob = null!;
    private TestPhone _carol = null!;

    public async ValueTask InitializeAsync()
    {
        _tenant = _switch.AddTenant();
        _alice = await _switch.ConnectAsync(_tenant, "201", _ct);
        _bob = await _switch.ConnectAsync(_tenant, "202", _ct);
        _carol = await _switch.ConnectAsync(_tenant, "203", _ct);
    }

    public ValueTask DisposeAsync() => _switch.DisposeAsync();

    [Fact]
    public async Task ReferReplaces_BobIsMovedToCarolsCall_TheyTalkAndAlicesLegsAreHungUp()
    {
        var (toBob, _, bobDialog, _) = await CallAsync(_bob);
        var (toCarol, _, carolDialog, carolMedia) = await CallAsync(_carol);

        await _alice.SendAsync(_alice.Refer(toBob, ReferTo("203", toCarol)), _ct);

        await _alice.ResponseAsync(toBob.CallId, "REFER", 202, _ct);
        var trying = await NotifyAsync("100");
        Assert.StartsWith("active", Header(trying, "Subscription-State"), StringComparison.Ordinal);
        var reInvite = await _bob.RequestAsync("INVITE", _ct);
        Assert.Equal(bobDialog.CallId, reInvite.CallId);
        var bobMedia = await _bob.AcceptAsync(reInvite, bobDialog, _ct);
        await _bob.RequestAsync("ACK", _ct);

        var done = await NotifyAsync("200");
        Assert.StartsWith("terminated", Header(done, "Subscription-State"), StringComparison.Ordinal);
        await _alice.NextAsync<SipRequest>(r => r.MethodName == "BYE" && r.CallId == toBob.CallId, _ct);
        await _alice.NextAsync<SipRequest>(r => r.MethodName == "BYE" && r.CallId == toCarol.CallId, _ct);

        // Bob's new key and Carol's unchanged one: real SRTP both ways through Carol's bridge.
        await AssertAudioFlowsAsync(_bob, bobMedia, _carol, carolMedia);
        // Carol's call, which Bob joined. Alice's call to Bob ends on its own call's queue, which may still be running
        // after Alice has her BYEs, so it is not counted here; that it ended is checked on its record below.
        var call = Assert.Single(_switch.Calls.ActiveCalls, c => c.Callee?.Party == "203");
        Assert.Equal(Call.State.Answered, call.CurrentState);
        Assert.Equal(["202", "203"], new[] { call.Caller.Party, call.Callee!.Party });
        Assert.False(_carol.HasReceived<SipRequest>(r => r.MethodName is "BYE" or "INVITE"));

        // Bob's own dialog now ends Carol's call.
        await _bob.SendAsync(_bob.InDialog("BYE", bobDialog), _ct);
        await _bob.ResponseAsync(bobDialog.CallId, "BYE", 200, _ct);
        await _carol.NextAsync<SipRequest>(r => r.MethodName == "BYE" && r.CallId == carolDialog.CallId, _ct);
        var records = await EndedRecordsAsync(2);
        Assert.Contains(records, r => r.Legs.OrderBy(l => l.Position).Select(l => l.Party).SequenceEqual(["201", "203", "202"]));
        Assert.Empty(_switch.Calls.ActiveCalls);
    }

    [Fact]
    public async Task ReferReplaces_UnknownDialog_Gets481AndTheCallGoesOn()
    {
        var (toBob, aliceMedia, _, bobMedia) = await CallAsync(_bob);
        var unknown = new PhoneDialog("nobody@phone", "<sip:201@127.0.0.1>;tag=aaaa", "<sip:203@127.0.0.1>;tag=bbbb", "sip:203@127.0.0.1", null);

        await _alice.SendAsync(_alice.Refer(toBob, ReferTo("203", unknown)), _ct);

        await _alice.ResponseAsync(toBob.CallId, "REFER", 481, _ct);
        await AssertAudioFlowsAsync(_alice, aliceMedia, _bob, bobMedia);
        Assert.False(_bob.HasReceived<SipRequest>(r => r.MethodName == "INVITE"));
        Assert.Contains(DrainAudit(), e => e.Action == "sip.refer" && e.Outcome == AuditOutcome.Denied && e.Reason!.Contains("no dialog", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReferReplaces_AnotherDevicesDialog_Gets403AuditedAndNothingChanges()
    {
        var dan = await _switch.ConnectAsync(_tenant, "204", _ct);
        var (toBob, aliceMedia, _, bobMedia) = await CallAsync(_bob);
        var carolToDan = await _carol.InviteAsync("204", _ct);
        await dan.AnswerAsync(_ct);
        await _carol.CompleteAsync(carolToDan, _ct);
        DrainAudit();

        await _alice.SendAsync(_alice.Refer(toBob, ReferTo("204", carolToDan)), _ct);

        await _alice.ResponseAsync(toBob.CallId, "REFER", 403, _ct);
        await AssertAudioFlowsAsync(_alice, aliceMedia, _bob, bobMedia);
        Assert.False(_bob.HasReceived<SipRequest>(r => r.MethodName == "INVITE"));
        Assert.Contains(DrainAudit(), e => e.Action == "sip.refer" && e.Outcome == AuditOutcome.Denied && e.Reason!.Contains("another device", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReferReplaces_AnotherTenantsDialog_Gets403AuditedAndNothingChanges()
    {
        var other = _switch.AddTenant();
        var mallory = await _switch.ConnectAsync(other, "201", _ct);
        var trent = await _switch.ConnectAsync(other, "202", _ct);
        var (toBob, aliceMedia, _, bobMedia) = await CallAsync(_bob);
        var theirs = await mallory.InviteAsync("202", _ct);
        await trent.AnswerAsync(_ct);
        await mallory.CompleteAsync(theirs, _ct);
        DrainAudit();

        await _alice.SendAsync(_alice.Refer(toBob, ReferTo("202", theirs)), _ct);

        await _alice.ResponseAsync(toBob.CallId, "REFER", 403, _ct);
        await AssertAudioFlowsAsync(_alice, aliceMedia, _bob, bobMedia);
        Assert.False(trent.HasReceived<SipRequest>(r => r.MethodName is "INVITE" or "BYE"));
        Assert.Contains(DrainAudit(), e => e.Action == "sip.refer" && e.Outcome == AuditOutcome.Denied && e.Reason!.Contains("another tenant", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReferReplaces_CarolHangsUpWhileBobIsReInvited_NotifyFailsAndBobComesBackToAlice()
    {
        var (toBob, aliceMedia, bobDialog, _) = await CallAsync(_bob);
        var (toCarol, _, carolDialog, _) = await CallAsync(_carol);

        await _alice.SendAsync(_alice.Refer(toBob, ReferTo("203", toCarol)), _ct);
        await _alice.ResponseAsync(toBob.CallId, "REFER", 202, _ct);
        var reInvite = await _bob.RequestAsync("INVITE", _ct);
        await _carol.SendAsync(_carol.InDialog("BYE", carolDialog), _ct);
        await _carol.ResponseAsync(carolDialog.CallId, "BYE", 200, _ct);
        await _alice.NextAsync<SipRequest>(r => r.MethodName == "BYE" && r.CallId == toCarol.CallId, _ct);
        await NotifyAsync("481");

        // Bob had already said yes to Carol's bridge: the switch offers him Alice's side again, with another key.
        await _bob.AcceptAsync(reInvite, bobDialog, _ct);
        var back = await _bob.NextAsync<SipRequest>(r => r.MethodName == "INVITE" && r != reInvite, _ct);
        var bobMedia = await _bob.AcceptAsync(back, bobDialog, _ct);

        await AssertAudioFlowsAsync(_alice, aliceMedia, _bob, bobMedia);
        var call = _switch.Calls.ActiveCalls.Single();
        Assert.Equal(Call.State.Answered, call.CurrentState);
        Assert.False(_alice.HasReceived<SipRequest>(r => r.MethodName == "BYE" && r.CallId == toBob.CallId));
    }

    [Fact]
    public async Task ReferReplaces_AliceHangsUpBothCallsRightAfter202_BobAndCarolAreJoinedAnyway()
    {
        var (toBob, _, bobDialog, _) = await CallAsync(_bob);
        var (toCarol, _, _, carolMedia) = await CallAsync(_carol);

        await _alice.SendAsync(_alice.Refer(toBob, ReferTo("203", toCarol)), _ct);
        await _alice.ResponseAsync(toBob.CallId, "REFER", 202, _ct);
        await _alice.SendAsync(_alice.InDialog("BYE", toBob), _ct);
        await _alice.SendAsync(_alice.InDialog("BYE", toCarol), _ct);
        await _alice.ResponseAsync(toBob.CallId, "BYE", 200, _ct);
        await _alice.ResponseAsync(toCarol.CallId, "BYE", 200, _ct);

        var bobMedia = await _bob.AcceptAsync(await _bob.RequestAsync("INVITE", _ct), bobDialog, _ct);

        await AssertAudioFlowsAsync(_bob, bobMedia, _carol, carolMedia);
        // Carol's call, which Bob joined; Alice's old call ends on its own queue, which may still be running (see above).
        var call = Assert.Single(_switch.Calls.ActiveCalls, c => c.Callee?.Party == "203");
        Assert.Equal(["202", "203"], new[] { call.Caller.Party, call.Callee!.Party });
        Assert.False(_carol.HasReceived<SipRequest>(r => r.MethodName == "BYE"));
    }

    [Fact]
    public async Task ReferReplaces_GlareWithBobsOwnReInvite_Bobs491AndOursIsOfferedAgainAfterTheWait()
    {
        var (toBob, _, bobDialog, _) = await CallAsync(_bob);
        var (toCarol, _, _, carolMedia) = await CallAsync(_carol);

        await _alice.SendAsync(_alice.Refer(toBob, ReferTo("203", toCarol)), _ct);
        await _alice.ResponseAsync(toBob.CallId, "REFER", 202, _ct);
        var ours = await _bob.RequestAsync("INVITE", _ct);

        // Both sides re-INVITE at once (RFC 3261 §14.2): Bob's is refused with 491, and Bob refuses ours with 491.
        await _bob.SendAsync(_bob.InDialog("INVITE", bobDialog, SdpWriter.Write(SdesOfferAnswer.CreateOffer(_bob.LocalMedia).Offer)), _ct);
        await _bob.ResponseAsync(bobDialog.CallId, "INVITE", 491, _ct);
        await _bob.SendAsync(_bob.Response(ours, 491, bobDialog.LocalTag!), _ct);
        await _bob.RequestAsync("ACK", _ct);
        await _bob.PingAsync(_ct);
        Assert.False(_bob.HasReceived<SipRequest>(r => r.MethodName == "INVITE"));

        // RFC 3261 §14.1: the switch offers again after 2.1 to 4 s.
        _switch.Time.Advance(TimeSpan.FromSeconds(4));
        var again = await _bob.RequestAsync("INVITE", _ct);
        var bobMedia = await _bob.AcceptAsync(again, bobDialog, _ct);

        await NotifyAsync("200");
        await AssertAudioFlowsAsync(_bob, bobMedia, _carol, carolMedia);
    }

    [Fact]
    public async Task ReferReplaces_BobHangsUpWhileReInvited_AliceIsToldAndCarolsCallGoesOn()
    {
        var (toBob, _, bobDialog, _) = await CallAsync(_bob);
        var (toCarol, aliceToCarol, _, carolMedia) = await CallAsync(_carol);

        await _alice.SendAsync(_alice.Refer(toBob, ReferTo("203", toCarol)), _ct);
        await _alice.ResponseAsync(toBob.CallId, "REFER", 202, _ct);
        await _bob.RequestAsync("INVITE", _ct);
        await _bob.SendAsync(_bob.InDialog("BYE", bobDialog), _ct);
        await _bob.ResponseAsync(bobDialog.CallId, "BYE", 200, _ct);

        await NotifyAsync("487");
        await _alice.NextAsync<SipRequest>(r => r.MethodName == "BYE" && r.CallId == toBob.CallId, _ct);
        await AssertAudioFlowsAsync(_alice, aliceToCarol, _carol, carolMedia);
        Assert.Equal("203", _switch.Calls.ActiveCalls.Single().Callee!.Party);
    }

    /// <summary>Alice calls <paramref name="callee"/>; both media and both dialogs.</summary>
    private async Task<(PhoneDialog Alice, NegotiatedMedia AliceMedia, PhoneDialog Callee, NegotiatedMedia CalleeMedia)> CallAsync(TestPhone callee)
    {
        var call = await _alice.InviteAsync(callee.Extension, _ct);
        var (calleeDialog, calleeMedia) = await callee.AnswerAsync(_ct);
        var aliceMedia = await _alice.CompleteAsync(call, _ct);
        await callee.RequestAsync("ACK", _ct);
        return (call, aliceMedia, calleeDialog, calleeMedia);
    }

    /// <summary>
    /// RFC 3891 §6.1, RFC 3261 §19.1.1: Refer-To with the escaped Replaces of <paramref name="dialog"/> as its caller sees
    /// it, oriented for the target: to-tag is the far end's tag, from-tag the caller's own.
    /// </summary>
    private static string ReferTo(string target, PhoneDialog dialog) =>
        $"<sip:{target}@127.0.0.1?Replaces={Uri.EscapeDataString($"{dialog.CallId};to-tag={TagOf(dialog.Remote)};from-tag={TagOf(dialog.Local)}")}>";

    private static string TagOf(string nameAddress) => nameAddress[(nameAddress.LastIndexOf(";tag=", StringComparison.Ordinal) + 5)..];

    private Task<SipRequest> NotifyAsync(string status) =>
        _alice.NextAsync<SipRequest>(r => r.MethodName == "NOTIFY" && Encoding.ASCII.GetString(r.Body).StartsWith($"SIP/2.0 {status}", StringComparison.Ordinal), _ct);

    private static string Header(SipMessage message, string name)
    {
        for (var i = 0; i < message.HeaderCount; i++)
        {
            if (Encoding.ASCII.GetString(message.GetHeaderName(i)).Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return Encoding.UTF8.GetString(message.GetHeaderValue(i));
            }
        }

        return "";
    }

    /// <summary>A packet from each phone reaches the other, decrypted under the switch's key for that side.</summary>
    private Task AssertAudioFlowsAsync(TestPhone one, NegotiatedMedia oneMedia, TestPhone other, NegotiatedMedia otherMedia) =>
        one.ConverseAsync(oneMedia, other, otherMedia, _ct);

    private List<AuditEvent> DrainAudit()
    {
        var events = new List<AuditEvent>();
        while (_switch.Audit.Reader.TryRead(out var e))
        {
            events.Add(e);
        }

        return events;
    }

    private async Task<List<CallRecord>> EndedRecordsAsync(int count)
    {
        var ended = new List<CallRecord>();
        while (ended.Count < count)
        {
            var record = await _switch.Records.Pending.ReadAsync(_ct);
            if (record.EndedAt is not null)
            {
                ended.Add(record);
            }
        }

        return ended;
    }
}
