using HostedPbx.Switch.Calls;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Tests.Calls.Support;

namespace HostedPbx.Switch.Tests.Calls;

/// <summary>
/// <c>Call.State</c> × <c>CallEvent</c>: the pairs the switch can reach, each with the test that drives it (the rest of
/// the exhaustive switch answers pairs no peer can bring about: a stale timer, a late fork of an earlier generation).
/// <list type="bullet">
/// <item>Ringing: CalleeProgress, CalleeAnswered, CalleeFailed, NoAnswer (CallFlowTests), ForwardNoAnswer (ForwardingTests,
/// ForwardingRaceTests), CallerCancelled and CANCEL racing 200 (CallFlowTests), a callee's early BYE (here),
/// ReInvite → 491, ConnectionLost of the callee (CallFlowTests), Refer → 403 (BlindTransferTests), ReferReplaces → 403 (here).</item>
/// <item>Answered: Bye from either side and from a wrong connection → 481, ReInvite, second fork's 2xx after answer → ACK and BYE,
/// ConnectionLost (CallFlowTests), ApplicationDone (Applications/), Refer (BlindTransferTests), ReferReplaces
/// (AttendedTransferTests), MediaTimeout (here).</item>
/// <item>Transferring: the target's CalleeProgress/CalleeAnswered/CalleeFailed, NoAnswer, the transferor's Bye
/// (BlindTransferTests), ReInvite of the remaining party (here), Refer → 403 (here).</item>
/// <item>Replacing: the transferor's Bye and the remaining party's Bye, JoinDone joined or failed (AttendedTransferTests),
/// ReInvite of the transferor (here), Refer → 403 (here).</item>
/// <item>Joining: ReInviteAnswered 2xx, 491 then GlareRetry, the joining party's ReInvite → 491, Bye of the target, of the
/// transferor and of the joining party (AttendedTransferTests), ReInvite of the target (here), Bye from a wrong
/// connection → 481 (here).</item>
/// <item>Ended: CalleeAnswered after CANCEL (CallFlowTests), ReInvite → 481 (CallFlowTests), ReInviteAnswered of a party
/// given back after its call was joined elsewhere is passed on (AttendedTransferTests, Carol hanging up).</item>
/// </list>
/// </summary>
public sealed class CallStateTests : IAsyncLifetime
{
    private readonly CallHarness _switch = new(mediaPortMin: 35400, mediaPortMax: 35599);
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
    public async Task ReferReplaces_WhileRinging_Gets403()
    {
        // Bob is in an answered call with Carol, and Alice's call rings him: his REFER in the early dialog names his own
        // dialog in the call with Carol, which the controller accepts; the ringing call has nothing to transfer yet.
        var bobToCarol = await _bob.InviteAsync("203", _ct);
        await _carol.AnswerAsync(_ct);
        await _bob.CompleteAsync(bobToCarol, _ct);
        await _alice.InviteAsync("202", _ct);
        var invite = await _bob.NextAsync<SipRequest>(r => r.MethodName == "INVITE", _ct);
        var early = await _bob.RingAsync(invite, _ct);

        await _bob.SendAsync(_bob.Refer(early, ReferTo("203", bobToCarol)), _ct);

        await _bob.ResponseAsync(early.CallId, "REFER", 403, _ct);
        Assert.Contains(_switch.Calls.ActiveCalls, c => c.CurrentState == Call.State.Ringing);
    }

    [Fact]
    public async Task Bye_FromTheCalleesEarlyDialog_IsAnsweredAndTheCallerGets480()
    {
        var call = await _alice.InviteAsync("202", _ct);
        var early = await _bob.RingAsync(await _bob.RequestAsync("INVITE", _ct), _ct);

        // RFC 3261 §15: a callee may not end an early dialog with BYE; its fork is given up instead.
        await _bob.SendAsync(_bob.InDialog("BYE", early), _ct);

        await _bob.ResponseAsync(early.CallId, "BYE", 200, _ct);
        await _alice.ResponseAsync(call.CallId, "INVITE", 480, _ct);
    }

    [Fact]
    public async Task MediaTimeout_WhenAnsweredAndNobodySends_BothSidesGetBye()
    {
        var (toBob, _, bobDialog, _) = await CallAsync(_bob);

        // The harness's media timeout is 60 s, checked every 5 s; nothing is sent by either phone.
        for (var i = 0; i < 14; i++)
        {
            _switch.Time.Advance(TimeSpan.FromSeconds(5));
        }

        await _alice.NextAsync<SipRequest>(r => r.MethodName == "BYE" && r.CallId == toBob.CallId, _ct);
        await _bob.NextAsync<SipRequest>(r => r.MethodName == "BYE" && r.CallId == bobDialog.CallId, _ct);
        Assert.Empty(_switch.Calls.ActiveCalls);
    }

    [Fact]
    public async Task ReInvite_WhileTransferring_RemainingPartyIsRekeyedAndTheTargetStillRings()
    {
        var (toBob, _, bobDialog, bobMedia) = await CallAsync(_bob);
        await _bob.SendAsync(_bob.Refer(bobDialog, "<sip:203@127.0.0.1>"), _ct);
        await _bob.ResponseAsync(bobDialog.CallId, "REFER", 202, _ct);
        await _carol.RingAsync(await _carol.RequestAsync("INVITE", _ct), _ct);

        var offer = SdesOfferAnswer.CreateOffer(_alice.LocalMedia);
        await _alice.SendAsync(_alice.InDialog("INVITE", toBob, SdpWriter.Write(offer.Offer)), _ct);

        var ok = await _alice.ResponseAsync(toBob.CallId, "INVITE", 200, _ct);
        Assert.True(SdpReader.TryRead(ok.Body, out var answer, out _));
        var aliceMedia = SdesOfferAnswer.AcceptAnswer(offer, answer).Media!;
        Assert.Equal(Call.State.Transferring, _switch.Calls.ActiveCalls.Single().CurrentState);
        await AssertAudioFlowsAsync(_alice, aliceMedia, _bob, bobMedia);
    }

    [Fact]
    public async Task Refer_WhileTransferring_Gets403TransferInProgress()
    {
        var (_, _, bobDialog, _) = await CallAsync(_bob);
        await _bob.SendAsync(_bob.Refer(bobDialog, "<sip:203@127.0.0.1>"), _ct);
        await _bob.ResponseAsync(bobDialog.CallId, "REFER", 202, _ct);

        await _bob.SendAsync(_bob.Refer(bobDialog, "<sip:203@127.0.0.1>"), _ct);

        await _bob.ResponseAsync(bobDialog.CallId, "REFER", 403, _ct);
    }

    [Fact]
    public async Task ReInviteAndRefer_WhileReplacing_TransferorsHoldIsAnsweredAndASecondReferGets403()
    {
        var (toBob, _, _, _) = await CallAsync(_bob);
        var (toCarol, _, _, _) = await CallAsync(_carol);
        await _alice.SendAsync(_alice.Refer(toBob, ReferTo("203", toCarol)), _ct);
        await _alice.ResponseAsync(toBob.CallId, "REFER", 202, _ct);
        await _bob.RequestAsync("INVITE", _ct);

        // Bob has not answered the switch's re-INVITE yet: Alice's call with Bob is Replacing.
        var hold = SdesOfferAnswer.CreateOffer(_alice.LocalMedia with { Direction = MediaDirection.SendOnly });
        await _alice.SendAsync(_alice.InDialog("INVITE", toBob, SdpWriter.Write(hold.Offer)), _ct);
        await _alice.ResponseAsync(toBob.CallId, "INVITE", 200, _ct);
        await _alice.SendAsync(_alice.Refer(toBob, ReferTo("203", toCarol)), _ct);

        await _alice.ResponseAsync(toBob.CallId, "REFER", 403, _ct);
        Assert.Contains(_switch.Calls.ActiveCalls, c => c.CurrentState == Call.State.Replacing);
    }

    [Fact]
    public async Task ReInviteAndForeignBye_WhileJoining_TargetIsRekeyedAndAStrangersByeGets481()
    {
        var dan = await _switch.ConnectAsync(_tenant, "204", _ct);
        var (toBob, _, _, _) = await CallAsync(_bob);
        var (toCarol, _, carolDialog, _) = await CallAsync(_carol);
        await _alice.SendAsync(_alice.Refer(toBob, ReferTo("203", toCarol)), _ct);
        await _alice.ResponseAsync(toBob.CallId, "REFER", 202, _ct);
        await _bob.RequestAsync("INVITE", _ct);

        var offer = SdesOfferAnswer.CreateOffer(_carol.LocalMedia);
        await _carol.SendAsync(_carol.InDialog("INVITE", carolDialog, SdpWriter.Write(offer.Offer)), _ct);
        await _carol.ResponseAsync(carolDialog.CallId, "INVITE", 200, _ct);

        // Dan knows Carol's dialog identifiers but is not Carol's device (RFC 3261 §12.2.2; DESIGN "The call model").
        await dan.SendAsync(dan.InDialog("BYE", carolDialog), _ct);
        await dan.ResponseAsync(carolDialog.CallId, "BYE", 481, _ct);
        Assert.Contains(_switch.Calls.ActiveCalls, c => c.CurrentState == Call.State.Joining);
        Assert.False(_alice.HasReceived<SipRequest>(r => r.MethodName == "BYE"));
    }

    private async Task<(PhoneDialog Alice, NegotiatedMedia AliceMedia, PhoneDialog Callee, NegotiatedMedia CalleeMedia)> CallAsync(TestPhone callee)
    {
        var call = await _alice.InviteAsync(callee.Extension, _ct);
        var (calleeDialog, calleeMedia) = await callee.AnswerAsync(_ct);
        var aliceMedia = await _alice.CompleteAsync(call, _ct);
        await callee.RequestAsync("ACK", _ct);
        return (call, aliceMedia, calleeDialog, calleeMedia);
    }

    private static string ReferTo(string target, PhoneDialog dialog) =>
        $"<sip:{target}@127.0.0.1?Replaces={Uri.EscapeDataString($"{dialog.CallId};to-tag={TagOf(dialog.Remote)};from-tag={TagOf(dialog.Local)}")}>";

    private static string TagOf(string nameAddress) => nameAddress[(nameAddress.LastIndexOf(";tag=", StringComparison.Ordinal) + 5)..];

    private Task AssertAudioFlowsAsync(TestPhone one, NegotiatedMedia oneMedia, TestPhone other, NegotiatedMedia otherMedia) =>
        one.ConverseAsync(oneMedia, other, otherMedia, _ct);
}
