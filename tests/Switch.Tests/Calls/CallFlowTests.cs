using System.Text;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Calls;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Tests.Calls.Support;

namespace HostedPbx.Switch.Tests.Calls;

/// <summary>
/// The call layer through every state, over in-memory TLS connections with real certificates and real SRTP on loopback;
/// only time is fake. Each phone is a device of its own.
/// </summary>
public sealed class CallFlowTests : IAsyncLifetime
{
    private readonly CallHarness _switch = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private Guid _tenant;
    private ushort _sequence;
    private TestPhone _alice = null!;
    private TestPhone _bob = null!;

    public async ValueTask InitializeAsync()
    {
        _tenant = _switch.AddTenant();
        _alice = await _switch.ConnectAsync(_tenant, "201", _ct);
        _bob = await _switch.ConnectAsync(_tenant, "202", _ct);
    }

    public ValueTask DisposeAsync() => _switch.DisposeAsync();

    [Fact]
    public async Task Call_Answered_AudioFlowsBothWaysAndByeEndsBothLegs()
    {
        var (call, aliceMedia, bobDialog, bobMedia) = await ConnectAsync();
        await AssertAudioFlowsAsync(aliceMedia, bobMedia);

        await _alice.SendAsync(_alice.InDialog("BYE", call), _ct);
        await _alice.ResponseAsync(call.CallId, "BYE", 200, _ct);
        var bye = await _bob.RequestAsync("BYE", _ct);

        Assert.Equal(bobDialog.CallId, bye.CallId);
        var record = await EndedRecordAsync();
        Assert.Equal(CallOutcome.Answered, record.Outcome);
        Assert.Equal(2, record.Legs.Count);
        Assert.Empty(_switch.Calls.ActiveCalls);
        Assert.Equal(0, _switch.Calls.Dialogs.Count);
    }

    [Fact]
    public async Task Bye_FromThirdDeviceWithLiveCallIdAndTags_Gets481AndAudioKeepsFlowing()
    {
        var (call, aliceMedia, bobDialog, bobMedia) = await ConnectAsync();
        var mallory = await _switch.ConnectAsync(_switch.AddTenant(), "666", _ct);

        // Mallory knows everything about both dialogs and writes them as their owners would.
        await mallory.SendAsync(mallory.Request("BYE", "sip:switch@127.0.0.1:5061", call.CallId, call.Local, call.Remote, 50), _ct);
        await mallory.ResponseAsync(call.CallId, "BYE", 481, _ct);
        await mallory.SendAsync(mallory.Request("BYE", "sip:switch@127.0.0.1:5061", bobDialog.CallId, bobDialog.Local, bobDialog.Remote, 50), _ct);
        await mallory.ResponseAsync(bobDialog.CallId, "BYE", 481, _ct);
        var offer = SdesOfferAnswer.CreateOffer(mallory.LocalMedia);
        await mallory.SendAsync(
            mallory.Request("INVITE", "sip:switch@127.0.0.1:5061", call.CallId, call.Local, call.Remote, 51, mallory.ContactUri, SdpWriter.Write(offer.Offer)), _ct);
        var refused = await mallory.ResponseAsync(call.CallId, "INVITE", 481, _ct);

        Assert.Empty(refused.Body.ToArray());
        Assert.Single(_switch.Calls.ActiveCalls);
        Assert.Equal(Call.State.Answered, _switch.Calls.ActiveCalls[0].CurrentState);
        await AssertAudioFlowsAsync(aliceMedia, bobMedia);
        Assert.False(_alice.HasReceived<SipRequest>(r => r.MethodName == "BYE"));
        Assert.False(_bob.HasReceived<SipRequest>(r => r.MethodName == "BYE"));
        var denied = Drain().Where(e => e.Outcome == AuditOutcome.Denied).ToList();
        Assert.Equal(3, denied.Count);
        Assert.All(denied, e => Assert.Contains("dialog of another device", e.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bye_FromTheSameDeviceAfterAReconnect_IsAccepted()
    {
        var (call, _, bobDialog, _) = await ConnectAsync();
        var bobAgain = await _switch.ReconnectAsync(_bob, _ct);

        await bobAgain.SendAsync(bobAgain.InDialog("BYE", bobDialog), _ct);

        await bobAgain.ResponseAsync(bobDialog.CallId, "BYE", 200, _ct);
        var bye = await _alice.RequestAsync("BYE", _ct);
        Assert.Equal(call.CallId, bye.CallId);
        Assert.DoesNotContain(Drain(), e => e.Outcome == AuditOutcome.Denied);
    }

    [Fact]
    public async Task Cancel_FromThirdDeviceWhileRinging_Gets481AndTheCallRingsOn()
    {
        var call = await _alice.InviteAsync("202", _ct);
        var invite = await _bob.RequestAsync("INVITE", _ct);
        await _bob.RingAsync(invite, _ct);
        await _alice.ResponseAsync(call.CallId, "INVITE", 180, _ct);
        var mallory = await _switch.ConnectAsync(_tenant, "203", _ct);

        // Mallory forges even Alice's Via, so the CANCEL names Alice's INVITE transaction exactly (RFC 3261 §9.2).
        await mallory.SendAsync(mallory.Request("CANCEL", call.RemoteTarget, call.CallId, call.Local, call.Remote, 1, branch: call.InviteBranch, viaPort: _alice.Port), _ct);

        await mallory.ResponseAsync(call.CallId, "CANCEL", 481, _ct);
        Assert.Equal(Call.State.Ringing, _switch.Calls.ActiveCalls.Single().CurrentState);
        Assert.False(_bob.HasReceived<SipRequest>(r => r.MethodName == "CANCEL"));
    }

    [Fact]
    public async Task Cancel_WhileRinging_CallerGets487AndTheForkIsCancelled()
    {
        var call = await _alice.InviteAsync("202", _ct);
        var invite = await _bob.RequestAsync("INVITE", _ct);
        await _bob.RingAsync(invite, _ct);
        await _alice.ResponseAsync(call.CallId, "INVITE", 180, _ct);

        await _alice.SendAsync(_alice.Request("CANCEL", call.RemoteTarget, call.CallId, call.Local, call.Remote, 1, branch: call.InviteBranch), _ct);

        await _alice.ResponseAsync(call.CallId, "CANCEL", 200, _ct);
        await _alice.ResponseAsync(call.CallId, "INVITE", 487, _ct);
        var cancel = await _bob.RequestAsync("CANCEL", _ct);
        Assert.Equal(invite.CallId, cancel.CallId);
        Assert.Equal(CallOutcome.Cancelled, (await EndedRecordAsync()).Outcome);
        // The cancelled fork left the dialog table at once, before it even answered 487.
        Assert.Equal(0, _switch.Calls.Dialogs.Count);
    }

    [Fact]
    public async Task Cancel_RacingTheCalleesAnswer_CalleeIsAckedThenHungUp()
    {
        var call = await _alice.InviteAsync("202", _ct);
        var invite = await _bob.RequestAsync("INVITE", _ct);
        var bobDialog = await _bob.RingAsync(invite, _ct);
        await _alice.ResponseAsync(call.CallId, "INVITE", 180, _ct);
        await _alice.SendAsync(_alice.Request("CANCEL", call.RemoteTarget, call.CallId, call.Local, call.Remote, 1, branch: call.InviteBranch), _ct);
        await _alice.ResponseAsync(call.CallId, "INVITE", 487, _ct);

        // Bob's 200 crossed the CANCEL on the wire.
        await _bob.AcceptAsync(invite, bobDialog, _ct);

        var ack = await _bob.RequestAsync("ACK", _ct);
        var bye = await _bob.RequestAsync("BYE", _ct);
        Assert.Equal(invite.CallId, ack.CallId);
        Assert.Equal(invite.CallId, bye.CallId);
        Assert.False(_alice.HasReceived<SipResponse>(r => r.StatusCode == 200 && r.CallId == call.CallId && r.Body.Length > 0));
        Assert.Empty(_switch.Calls.ActiveCalls);
    }

    [Fact]
    public async Task ReInvite_WhileRinging_Gets491RequestPending()
    {
        var call = await _alice.InviteAsync("202", _ct);
        var invite = await _bob.RequestAsync("INVITE", _ct);
        var bobDialog = await _bob.RingAsync(invite, _ct);

        // Glare on Bob's early dialog: a re-INVITE while the first INVITE has no final answer (RFC 3261 §14.2).
        var offer = SdesOfferAnswer.CreateOffer(_bob.LocalMedia);
        await _bob.SendAsync(_bob.InDialog("INVITE", bobDialog, SdpWriter.Write(offer.Offer)), _ct);

        var pending = await _bob.NextAsync<SipResponse>(r => r.CallId == bobDialog.CallId && r.StatusCode >= 200, _ct);
        Assert.Equal(491, pending.StatusCode);
        Assert.Equal(Call.State.Ringing, _switch.Calls.ActiveCalls.Single().CurrentState);
        Assert.Equal(call.CallId, _switch.Calls.ActiveCalls.Single().CallId);
    }

    [Fact]
    public async Task ReInvite_WhenAnswered_FreshKeyForThatSideAndAudioFlowsUnderIt()
    {
        var (call, aliceMedia, _, bobMedia) = await ConnectAsync();
        await AssertAudioFlowsAsync(aliceMedia, bobMedia);

        var offer = SdesOfferAnswer.CreateOffer(_alice.LocalMedia);
        await _alice.SendAsync(_alice.InDialog("INVITE", call, SdpWriter.Write(offer.Offer)), _ct);
        var ok = await _alice.ResponseAsync(call.CallId, "INVITE", 200, _ct);
        Assert.True(SdpReader.TryRead(ok.Body, out var answer, out _));
        var rekeyed = SdesOfferAnswer.AcceptAnswer(offer, answer).Media!;
        await _alice.SendAsync(_alice.Request("ACK", call.RemoteTarget, call.CallId, call.Local, call.Remote, call.CSeq), _ct);

        // A new outbound context of the switch is only ever made with a new key (issue 12 item 5).
        Assert.False(rekeyed.RemoteCrypto.Keys.MasterKey.SequenceEqual(aliceMedia.RemoteCrypto.Keys.MasterKey));
        Assert.False(rekeyed.RemoteCrypto.Keys.MasterSalt.SequenceEqual(aliceMedia.RemoteCrypto.Keys.MasterSalt));
        await AssertAudioFlowsAsync(rekeyed, bobMedia);
        Assert.False(_bob.HasReceived<SipRequest>(r => r.MethodName == "INVITE" && r.ToTag.Length > 0));
    }

    [Fact]
    public async Task ReInvite_AfterTheCallEnded_Gets481()
    {
        var (call, _, _, _) = await ConnectAsync();
        await _alice.SendAsync(_alice.InDialog("BYE", call), _ct);
        await _alice.ResponseAsync(call.CallId, "BYE", 200, _ct);

        var offer = SdesOfferAnswer.CreateOffer(_alice.LocalMedia);
        await _alice.SendAsync(_alice.InDialog("INVITE", call, SdpWriter.Write(offer.Offer)), _ct);

        await _alice.ResponseAsync(call.CallId, "INVITE", 481, _ct);
    }

    [Fact]
    public async Task Bye_LowerCSeqInDialog_Gets500AndTheCallGoesOn()
    {
        var (call, aliceMedia, _, bobMedia) = await ConnectAsync();
        await _alice.SendAsync(_alice.InDialog("INFO", call), _ct);
        await _alice.ResponseAsync(call.CallId, "INFO", 200, _ct);

        await _alice.SendAsync(_alice.Request("BYE", call.RemoteTarget, call.CallId, call.Local, call.Remote, 1), _ct);

        await _alice.ResponseAsync(call.CallId, "BYE", 500, _ct);
        await AssertAudioFlowsAsync(aliceMedia, bobMedia);
    }

    [Fact]
    public async Task NoAnswer_AfterTheTimeout_CallerGets480AndTheForkIsCancelled()
    {
        var call = await _alice.InviteAsync("202", _ct);
        var invite = await _bob.RequestAsync("INVITE", _ct);
        await _bob.RingAsync(invite, _ct);
        await _alice.ResponseAsync(call.CallId, "INVITE", 180, _ct);

        _switch.Time.Advance(TimeSpan.FromSeconds(60));

        var refused = await _alice.ResponseAsync(call.CallId, "INVITE", 480, _ct);
        Assert.Equal("No Answer", Encoding.ASCII.GetString(refused.ReasonPhrase));
        await _bob.RequestAsync("CANCEL", _ct);
        Assert.Equal(CallOutcome.NoAnswer, (await EndedRecordAsync()).Outcome);
        Assert.Empty(_switch.Calls.ActiveCalls);
    }

    [Fact]
    public async Task Fork_SecondHandsetAnswersAfterTheFirst_IsCancelledThenHungUp()
    {
        var bobDesk = await _switch.ConnectAsync(_tenant, "202", _ct);
        var call = await _alice.InviteAsync("202", _ct);
        var first = await _bob.RequestAsync("INVITE", _ct);
        var second = await bobDesk.RequestAsync("INVITE", _ct);
        var firstDialog = await _bob.RingAsync(first, _ct);
        var secondDialog = await bobDesk.RingAsync(second, _ct);

        await _bob.AcceptAsync(first, firstDialog, _ct);
        await _alice.CompleteAsync(call, _ct);
        var cancel = await bobDesk.RequestAsync("CANCEL", _ct);
        await bobDesk.AcceptAsync(second, secondDialog, _ct);

        Assert.Equal(second.CallId, cancel.CallId);
        await bobDesk.RequestAsync("ACK", _ct);
        var bye = await bobDesk.RequestAsync("BYE", _ct);
        Assert.Equal(second.CallId, bye.CallId);
        var active = _switch.Calls.ActiveCalls.Single();
        Assert.Equal(Call.State.Answered, active.CurrentState);
        Assert.False(_bob.HasReceived<SipRequest>(r => r.MethodName is "BYE" or "CANCEL"));

        // The cancelled fork left the dialog table: its own BYE finds nothing.
        await bobDesk.SendAsync(bobDesk.InDialog("BYE", secondDialog), _ct);
        await bobDesk.ResponseAsync(second.CallId, "BYE", 481, _ct);
        Assert.Equal(Call.State.Answered, active.CurrentState);
    }

    [Fact]
    public async Task Bye_FromCallee_EndsTheCallAndGivesThePortsBack()
    {
        var (call, _, bobDialog, _) = await ConnectAsync();
        var active = _switch.Calls.ActiveCalls.Single();

        await _bob.SendAsync(_bob.InDialog("BYE", bobDialog), _ct);

        await _bob.ResponseAsync(bobDialog.CallId, "BYE", 200, _ct);
        var bye = await _alice.RequestAsync("BYE", _ct);
        Assert.Equal(call.CallId, bye.CallId);
        Assert.Equal(CallOutcome.Answered, (await EndedRecordAsync()).Outcome);
        await active.Closed;
        Assert.Equal(0, _switch.Calls.Dialogs.Count);
    }

    [Fact]
    public async Task ConnectionLost_OfTheCallee_CallerGetsBye()
    {
        var (call, _, _, _) = await ConnectAsync();

        await _bob.DisposeAsync();

        var bye = await _alice.RequestAsync("BYE", _ct);
        Assert.Equal(call.CallId, bye.CallId);
        Assert.Equal(CallOutcome.Answered, (await EndedRecordAsync()).Outcome);
    }

    private async Task<(PhoneDialog Call, NegotiatedMedia AliceMedia, PhoneDialog BobDialog, NegotiatedMedia BobMedia)> ConnectAsync()
    {
        var call = await _alice.InviteAsync("202", _ct);
        var (bobDialog, bobMedia) = await _bob.AnswerAsync(_ct);
        await _alice.ResponseAsync(call.CallId, "INVITE", 180, _ct);
        var aliceMedia = await _alice.CompleteAsync(call, _ct);
        await _bob.RequestAsync("ACK", _ct);
        return (call, aliceMedia, bobDialog, bobMedia);
    }

    /// <summary>Alice's packet reaches Bob decrypted under the switch's key for Bob, and Bob's reaches Alice.</summary>
    private async Task AssertAudioFlowsAsync(NegotiatedMedia aliceMedia, NegotiatedMedia bobMedia)
    {
        using var aliceOut = aliceMedia.LocalCrypto.CreateContext();
        using var aliceIn = aliceMedia.RemoteCrypto.CreateContext();
        using var bobOut = bobMedia.LocalCrypto.CreateContext();
        using var bobIn = bobMedia.RemoteCrypto.CreateContext();
        var fill = (byte)Random.Shared.Next(1, 255);

        // Each phone's own stream moves on: a phone never protects one packet index twice under one key.
        _sequence++;
        await _alice.SendAudioAsync(aliceMedia, aliceOut, _sequence, fill, _ct);
        var atBob = await _bob.ReceiveAudioAsync(bobIn, _ct);
        await _bob.SendAudioAsync(bobMedia, bobOut, _sequence, (byte)(fill ^ 0xFF), _ct);
        var atAlice = await _alice.ReceiveAudioAsync(aliceIn, _ct);

        Assert.All(atBob.Payload, b => Assert.Equal(fill, b));
        Assert.All(atAlice.Payload, b => Assert.Equal((byte)(fill ^ 0xFF), b));
    }

    private async Task<CallRecord> EndedRecordAsync()
    {
        while (true)
        {
            var record = await _switch.Records.Pending.ReadAsync(_ct);
            if (record.EndedAt is not null)
            {
                return record;
            }
        }
    }

    private List<AuditEvent> Drain()
    {
        var events = new List<AuditEvent>();
        while (_switch.Audit.Reader.TryRead(out var e))
        {
            events.Add(e);
        }

        return events;
    }
}
