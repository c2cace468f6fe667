using System.Text;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Calls;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Tests.Calls.Support;

namespace HostedPbx.Switch.Tests.Calls;

/// <summary>
/// Call forwarding per extension (issue 12 item 6): always, on busy, on no answer after the extension's own time, and a
/// loop of forwards ended with 482. Alice (201) calls Bob (202); Carol (203) is where Bob's calls go.
/// </summary>
public sealed class ForwardingTests : IAsyncLifetime
{
    private readonly CallHarness _switch = new(mediaPortMin: 31200, mediaPortMax: 31399);
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
    public async Task ForwardAlways_CallRingsOnlyTheTargetAndConnectsWithAudio()
    {
        _switch.SetForwarding(_tenant, "202", always: "203");

        var call = await _alice.InviteAsync("202", _ct);
        var (carolDialog, carolMedia) = await _carol.AnswerAsync(_ct);
        var aliceMedia = await _alice.CompleteAsync(call, _ct);
        await _carol.RequestAsync("ACK", _ct);

        Assert.False(_bob.HasReceived<SipRequest>(r => r.MethodName == "INVITE"));
        await AssertAudioFlowsAsync(aliceMedia, carolMedia);
        await _carol.SendAsync(_carol.InDialog("BYE", carolDialog), _ct);
        await _alice.RequestAsync("BYE", _ct);
        var record = await EndedRecordAsync();
        Assert.Equal(CallOutcome.Answered, record.Outcome);
        Assert.Equal("203", record.Legs.Single(l => l.Position == 2).Party);
    }

    [Fact]
    public async Task ForwardBusy_CalleeAnswers486_TheTargetRingsAndAnswers()
    {
        _switch.SetForwarding(_tenant, "202", busy: "203");

        var call = await _alice.InviteAsync("202", _ct);
        var invite = await _bob.RequestAsync("INVITE", _ct);
        await _bob.SendAsync(_bob.Response(invite, 486, "busy"), _ct);
        var (_, carolMedia) = await _carol.AnswerAsync(_ct);
        var aliceMedia = await _alice.CompleteAsync(call, _ct);

        await AssertAudioFlowsAsync(aliceMedia, carolMedia);
        Assert.False(_alice.HasReceived<SipResponse>(r => r.StatusCode == 486));
        Assert.Equal(Call.State.Answered, _switch.Calls.ActiveCalls.Single().CurrentState);
        Assert.Equal("203", _switch.Calls.ActiveCalls.Single().Callee!.Party);
    }

    [Fact]
    public async Task ForwardBusy_TargetNotRegistered_CallerGets486AsWithoutForward()
    {
        _switch.SetForwarding(_tenant, "202", busy: "209");

        var call = await _alice.InviteAsync("202", _ct);
        var invite = await _bob.RequestAsync("INVITE", _ct);
        await _bob.SendAsync(_bob.Response(invite, 486, "busy"), _ct);

        await _alice.ResponseAsync(call.CallId, "INVITE", 486, _ct);
        Assert.Equal(CallOutcome.Busy, (await EndedRecordAsync()).Outcome);
    }

    [Fact]
    public async Task ForwardNoAnswer_AfterTheExtensionsSeconds_CalleeIsCancelledAndTheTargetAnswers()
    {
        _switch.SetForwarding(_tenant, "202", noAnswer: "203", noAnswerSeconds: 15);
        var call = await _alice.InviteAsync("202", _ct);
        var invite = await _bob.RequestAsync("INVITE", _ct);
        await _bob.RingAsync(invite, _ct);
        await _alice.ResponseAsync(call.CallId, "INVITE", 180, _ct);

        _switch.Time.Advance(TimeSpan.FromSeconds(14));
        Assert.False(_carol.HasReceived<SipRequest>(r => r.MethodName == "INVITE"));
        _switch.Time.Advance(TimeSpan.FromSeconds(1));

        var cancel = await _bob.RequestAsync("CANCEL", _ct);
        Assert.Equal(invite.CallId, cancel.CallId);
        var (_, carolMedia) = await _carol.AnswerAsync(_ct);
        var aliceMedia = await _alice.CompleteAsync(call, _ct);
        await AssertAudioFlowsAsync(aliceMedia, carolMedia);
    }

    [Fact]
    public async Task ForwardNoAnswer_TheTargetRingsForTheCallsWholeNoAnswerTime()
    {
        _switch.SetForwarding(_tenant, "202", noAnswer: "203", noAnswerSeconds: 50);
        var call = await _alice.InviteAsync("202", _ct);
        await _bob.RingAsync(await _bob.RequestAsync("INVITE", _ct), _ct);
        await _alice.ResponseAsync(call.CallId, "INVITE", 180, _ct);
        _switch.Time.Advance(TimeSpan.FromSeconds(50));
        await _carol.RingAsync(await _carol.RequestAsync("INVITE", _ct), _ct);

        // Carol's connection is read in order: once her ping is answered, her 180 has been taken (RFC 3261 Timer B stops).
        await _carol.PingAsync(_ct);

        // 60 s after the call began, but only 10 s after Carol's phone started ringing: it rings on.
        _switch.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(_alice.HasReceived<SipResponse>(r => r.StatusCode == 480));
        _switch.Time.Advance(TimeSpan.FromSeconds(50));

        await _alice.ResponseAsync(call.CallId, "INVITE", 480, _ct);
        await _carol.RequestAsync("CANCEL", _ct);
    }

    [Fact]
    public async Task ForwardAlways_Loop_CallerGets482AndNothingRings()
    {
        _switch.SetForwarding(_tenant, "202", always: "203");
        _switch.SetForwarding(_tenant, "203", always: "202");

        var call = await _alice.InviteAsync("202", _ct);

        var refused = await _alice.ResponseAsync(call.CallId, "INVITE", 482, _ct);
        Assert.Equal("Loop Detected", Encoding.ASCII.GetString(refused.ReasonPhrase));
        Assert.False(_bob.HasReceived<SipRequest>(r => r.MethodName == "INVITE"));
        Assert.False(_carol.HasReceived<SipRequest>(r => r.MethodName == "INVITE"));
        Assert.Empty(_switch.Calls.ActiveCalls);
    }

    [Fact]
    public async Task ForwardNoAnswer_Loop_EndsWith482AfterTheHopBound()
    {
        _switch.SetForwarding(_tenant, "202", noAnswer: "203", noAnswerSeconds: 5);
        _switch.SetForwarding(_tenant, "203", noAnswer: "202", noAnswerSeconds: 5);
        var call = await _alice.InviteAsync("202", _ct);
        await _bob.RequestAsync("INVITE", _ct);

        // Five forwards ring 203, 202, 203, 202, 203 in turn; the sixth is one too many.
        for (var hop = 1; hop <= CallForwardingHops; hop++)
        {
            _switch.Time.Advance(TimeSpan.FromSeconds(5));
            await (hop % 2 == 1 ? _carol : _bob).RequestAsync("INVITE", _ct);
        }

        _switch.Time.Advance(TimeSpan.FromSeconds(5));

        await _alice.ResponseAsync(call.CallId, "INVITE", 482, _ct);
        Assert.Equal(CallOutcome.Failed, (await EndedRecordAsync()).Outcome);
        Assert.Empty(_switch.Calls.ActiveCalls);
    }

    [Fact]
    public async Task Invite_CalleeNotRegisteredWithNoAnswerForward_TargetRingsAtOnce()
    {
        _switch.AddExtension(_tenant, "204");
        _switch.SetForwarding(_tenant, "204", noAnswer: "203", noAnswerSeconds: 30);

        var call = await _alice.InviteAsync("204", _ct);
        var (carolDialog, carolMedia) = await _carol.AnswerAsync(_ct);
        var aliceMedia = await _alice.CompleteAsync(call, _ct);
        await _carol.RequestAsync("ACK", _ct);

        await AssertAudioFlowsAsync(aliceMedia, carolMedia);
        Assert.False(_alice.HasReceived<SipResponse>(r => r.StatusCode == 480));
        await _carol.SendAsync(_carol.InDialog("BYE", carolDialog), _ct);
        await _alice.RequestAsync("BYE", _ct);
        var record = await EndedRecordAsync();
        Assert.Equal(CallOutcome.Answered, record.Outcome);
        Assert.Equal("203", record.Legs.Single(l => l.Position == 2).Party);
    }

    [Fact]
    public async Task Invite_CalleeNotRegisteredAndNoForward_CallerGets480AndNothingRings()
    {
        _switch.AddExtension(_tenant, "204");
        _switch.SetForwarding(_tenant, "204", busy: "203");

        var call = await _alice.InviteAsync("204", _ct);

        await _alice.ResponseAsync(call.CallId, "INVITE", 480, _ct);
        Assert.False(_carol.HasReceived<SipRequest>(r => r.MethodName == "INVITE"));
        Assert.Empty(_switch.Calls.ActiveCalls);
    }

    [Fact]
    public async Task Invite_NotRegisteredTargetsForwardToEachOther_CallerGets482()
    {
        _switch.AddExtension(_tenant, "204");
        _switch.AddExtension(_tenant, "205");
        _switch.SetForwarding(_tenant, "204", noAnswer: "205");
        _switch.SetForwarding(_tenant, "205", noAnswer: "204");

        var call = await _alice.InviteAsync("204", _ct);

        await _alice.ResponseAsync(call.CallId, "INVITE", 482, _ct);
        Assert.Empty(_switch.Calls.ActiveCalls);
    }

    [Fact]
    public async Task ForwardNoAnswer_CalleeFails480_TheNoAnswerTargetRingsWithoutWaiting()
    {
        _switch.SetForwarding(_tenant, "202", noAnswer: "203", noAnswerSeconds: 30);

        var call = await _alice.InviteAsync("202", _ct);
        var invite = await _bob.RequestAsync("INVITE", _ct);
        await _bob.SendAsync(_bob.Response(invite, 480, "away"), _ct);
        var (_, carolMedia) = await _carol.AnswerAsync(_ct);
        var aliceMedia = await _alice.CompleteAsync(call, _ct);

        await AssertAudioFlowsAsync(aliceMedia, carolMedia);
        Assert.Equal("203", _switch.Calls.ActiveCalls.Single().Callee!.Party);
    }

    private const int CallForwardingHops = HostedPbx.Switch.Calls.Forwarding.CallForwarding.MaxHops;

    /// <summary>Alice's packet reaches the other phone decrypted under the switch's key for it, and its packet reaches Alice.</summary>
    private async Task AssertAudioFlowsAsync(NegotiatedMedia aliceMedia, NegotiatedMedia carolMedia)
    {
        using var aliceOut = aliceMedia.LocalCrypto.CreateContext();
        using var aliceIn = aliceMedia.RemoteCrypto.CreateContext();
        using var carolOut = carolMedia.LocalCrypto.CreateContext();
        using var carolIn = carolMedia.RemoteCrypto.CreateContext();
        var fill = (byte)Random.Shared.Next(1, 255);

        await _alice.SendAudioAsync(aliceMedia, aliceOut, 1, fill, _ct);
        var atCarol = await _carol.ReceiveAudioAsync(carolIn, _ct);
        await _carol.SendAudioAsync(carolMedia, carolOut, 1, (byte)(fill ^ 0xFF), _ct);
        var atAlice = await _alice.ReceiveAudioAsync(aliceIn, _ct);

        Assert.All(atCarol.Payload, b => Assert.Equal(fill, b));
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
}
