using System.Text;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Calls;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Tests.Calls.Support;

namespace HostedPbx.Switch.Tests.Calls;

/// <summary>
/// Blind transfer (REFER, RFC 3515; RFC 5589 §6): Alice (201) and Bob (202) talk; one of them transfers the other to
/// Carol (203). The switch accepts the REFER (202), reports progress by NOTIFY (message/sipfrag), rings Carol, and once
/// she answers bridges her to the remaining party and hangs up the transferor.
/// </summary>
public sealed class BlindTransferTests : IAsyncLifetime
{
    private readonly CallHarness _switch = new(mediaPortMin: 32600, mediaPortMax: 32799);
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
    public async Task Refer_ByTheCallee_CarolRingsAnswersAndTalksToAlice_BobIsHungUp()
    {
        var (call, aliceMedia, bobDialog, _) = await AnsweredCallAsync();

        await _bob.SendAsync(_bob.Refer(bobDialog, "<sip:203@127.0.0.1>"), _ct);

        var accepted = await _bob.ResponseAsync(bobDialog.CallId, "REFER", 202, _ct);
        var trying = await _bob.RequestAsync("NOTIFY", _ct);
        Assert.Equal("SIP/2.0 100 Trying", Encoding.ASCII.GetString(trying.Body).TrimEnd());
        Assert.StartsWith("message/sipfrag", Header(trying, "Content-Type"), StringComparison.Ordinal);
        Assert.StartsWith("refer", Header(trying, "Event"), StringComparison.Ordinal);
        Assert.StartsWith("active", Header(trying, "Subscription-State"), StringComparison.Ordinal);
        await _bob.OkAsync(trying, _ct);

        var carolInvite = await _carol.RequestAsync("INVITE", _ct);
        Assert.Contains("sip:201@", Header(carolInvite, "From"), StringComparison.Ordinal);
        var carolDialog = await _carol.RingAsync(carolInvite, _ct);
        var carolMedia = await _carol.AcceptAsync(carolInvite, carolDialog, _ct);
        await _carol.RequestAsync("ACK", _ct);

        var done = await _bob.NextAsync<SipRequest>(r => r.MethodName == "NOTIFY" && Encoding.ASCII.GetString(r.Body).StartsWith("SIP/2.0 200", StringComparison.Ordinal), _ct);
        Assert.StartsWith("terminated", Header(done, "Subscription-State"), StringComparison.Ordinal);
        await _bob.RequestAsync("BYE", _ct);

        // Alice keeps her leg and her keys: the same media she agreed with the switch now reaches Carol and back.
        await AssertAudioFlowsAsync(_alice, aliceMedia, _carol, carolMedia);
        Assert.False(_alice.HasReceived<SipRequest>(r => r.MethodName is "BYE" or "INVITE"));
        var active = _switch.Calls.ActiveCalls.Single();
        Assert.Equal(Call.State.Answered, active.CurrentState);
        Assert.Equal("203", active.Callee!.Party);

        await _alice.SendAsync(_alice.InDialog("BYE", call), _ct);
        await _alice.ResponseAsync(call.CallId, "BYE", 200, _ct);
        await _carol.RequestAsync("BYE", _ct);
        var record = await EndedRecordAsync();
        Assert.Equal(CallOutcome.Answered, record.Outcome);
        Assert.Equal(["201", "202", "203"], record.Legs.OrderBy(l => l.Position).Select(l => l.Party));
        Assert.NotNull(accepted);
    }

    [Fact]
    public async Task Refer_ByTheCaller_CarolIsOfferedBobsCallAndTalksToBob()
    {
        var (call, _, _, bobMedia) = await AnsweredCallAsync();

        await _alice.SendAsync(_alice.Refer(call, "<sip:203@127.0.0.1:5061;transport=tls>"), _ct);

        await _alice.ResponseAsync(call.CallId, "REFER", 202, _ct);
        var carolInvite = await _carol.RequestAsync("INVITE", _ct);
        Assert.Contains("sip:202@", Header(carolInvite, "From"), StringComparison.Ordinal);
        var carolDialog = await _carol.RingAsync(carolInvite, _ct);
        var carolMedia = await _carol.AcceptAsync(carolInvite, carolDialog, _ct);
        await _alice.RequestAsync("BYE", _ct);

        await AssertAudioFlowsAsync(_bob, bobMedia, _carol, carolMedia);

        // Carol now holds the caller's place: her BYE ends the call and Bob is hung up.
        await _carol.SendAsync(_carol.InDialog("BYE", carolDialog), _ct);
        await _bob.RequestAsync("BYE", _ct);
        var record = await EndedRecordAsync();
        Assert.Equal(["201", "202", "203"], record.Legs.OrderBy(l => l.Position).Select(l => l.Party));
    }

    [Fact]
    public async Task Refer_TransferorHangsUpAtOnce_TheTransferGoesOnAndCarolTalksToAlice()
    {
        var (_, aliceMedia, bobDialog, _) = await AnsweredCallAsync();

        await _bob.SendAsync(_bob.Refer(bobDialog, "<sip:203@127.0.0.1>"), _ct);
        await _bob.ResponseAsync(bobDialog.CallId, "REFER", 202, _ct);
        await _bob.SendAsync(_bob.InDialog("BYE", bobDialog), _ct);
        await _bob.ResponseAsync(bobDialog.CallId, "BYE", 200, _ct);

        var (_, carolMedia) = await _carol.AnswerAsync(_ct);

        await AssertAudioFlowsAsync(_alice, aliceMedia, _carol, carolMedia);
        Assert.Equal("203", _switch.Calls.ActiveCalls.Single().Callee!.Party);
    }

    [Fact]
    public async Task Refer_TargetBusy_NotifyCarries486AndAliceAndBobGoOnTalking()
    {
        var (_, aliceMedia, bobDialog, bobMedia) = await AnsweredCallAsync();

        await _bob.SendAsync(_bob.Refer(bobDialog, "<sip:203@127.0.0.1>"), _ct);
        await _bob.ResponseAsync(bobDialog.CallId, "REFER", 202, _ct);
        var carolInvite = await _carol.RequestAsync("INVITE", _ct);
        await _carol.SendAsync(_carol.Response(carolInvite, 486, "busy"), _ct);

        var final = await _bob.NextAsync<SipRequest>(r => r.MethodName == "NOTIFY" && Encoding.ASCII.GetString(r.Body).StartsWith("SIP/2.0 486", StringComparison.Ordinal), _ct);
        Assert.StartsWith("terminated", Header(final, "Subscription-State"), StringComparison.Ordinal);
        await AssertAudioFlowsAsync(_alice, aliceMedia, _bob, bobMedia);
        Assert.False(_bob.HasReceived<SipRequest>(r => r.MethodName == "BYE"));
        Assert.Equal(Call.State.Answered, _switch.Calls.ActiveCalls.Single().CurrentState);
    }

    [Fact]
    public async Task Refer_TargetNeverAnswers_AfterTheNoAnswerTimeTheCallGoesOnUnchanged()
    {
        var (_, aliceMedia, bobDialog, bobMedia) = await AnsweredCallAsync();

        await _bob.SendAsync(_bob.Refer(bobDialog, "<sip:203@127.0.0.1>"), _ct);
        await _bob.ResponseAsync(bobDialog.CallId, "REFER", 202, _ct);
        await _carol.RingAsync(await _carol.RequestAsync("INVITE", _ct), _ct);
        await _carol.PingAsync(_ct);
        _switch.Time.Advance(TimeSpan.FromSeconds(60));

        await _carol.RequestAsync("CANCEL", _ct);
        await _bob.NextAsync<SipRequest>(r => r.MethodName == "NOTIFY" && Encoding.ASCII.GetString(r.Body).StartsWith("SIP/2.0 480", StringComparison.Ordinal), _ct);
        await AssertAudioFlowsAsync(_alice, aliceMedia, _bob, bobMedia);
    }

    [Theory]
    [InlineData("<sip:299@127.0.0.1>", 404)]
    [InlineData("<tel:+4930123456>", 403)]
    [InlineData("<sip:127.0.0.1>", 403)]
    public async Task Refer_TargetNotAnExtensionOfTheTenant_RefusedAuditedAndNothingChanges(string referTo, int status)
    {
        // 299 exists, but in another tenant: a transfer never leaves the transferor's tenant.
        var other = _switch.AddTenant();
        await _switch.ConnectAsync(other, "299", _ct);
        var (_, aliceMedia, bobDialog, bobMedia) = await AnsweredCallAsync();
        DrainAudit();

        await _bob.SendAsync(_bob.Refer(bobDialog, referTo), _ct);

        await _bob.ResponseAsync(bobDialog.CallId, "REFER", status, _ct);
        await AssertAudioFlowsAsync(_alice, aliceMedia, _bob, bobMedia);
        Assert.False(_bob.HasReceived<SipRequest>(r => r.MethodName == "NOTIFY"));
        Assert.Contains(DrainAudit(), e => e.Action == "sip.refer" && e.Outcome == AuditOutcome.Denied);
    }

    [Fact]
    public async Task Refer_FromAnotherDevicesConnection_Gets481AndNothingChanges()
    {
        var (_, aliceMedia, bobDialog, bobMedia) = await AnsweredCallAsync();

        // Carol knows the dialog's identifiers but is not Bob's device.
        await _carol.SendAsync(_carol.Refer(bobDialog, "<sip:203@127.0.0.1>"), _ct);

        await _carol.ResponseAsync(bobDialog.CallId, "REFER", 481, _ct);
        await AssertAudioFlowsAsync(_alice, aliceMedia, _bob, bobMedia);
        Assert.False(_carol.HasReceived<SipRequest>(r => r.MethodName == "INVITE"));
    }

    [Fact]
    public async Task Refer_BeforeTheCallIsAnswered_Gets403()
    {
        await _alice.InviteAsync("202", _ct);
        var invite = await _bob.RequestAsync("INVITE", _ct);
        var early = await _bob.RingAsync(invite, _ct);

        await _bob.SendAsync(_bob.Refer(early, "<sip:203@127.0.0.1>"), _ct);

        await _bob.ResponseAsync(early.CallId, "REFER", 403, _ct);
        Assert.False(_carol.HasReceived<SipRequest>(r => r.MethodName == "INVITE"));
    }

    private async Task<(PhoneDialog Call, NegotiatedMedia AliceMedia, PhoneDialog BobDialog, NegotiatedMedia BobMedia)> AnsweredCallAsync()
    {
        var call = await _alice.InviteAsync("202", _ct);
        var (bobDialog, bobMedia) = await _bob.AnswerAsync(_ct);
        var aliceMedia = await _alice.CompleteAsync(call, _ct);
        await _bob.RequestAsync("ACK", _ct);
        return (call, aliceMedia, bobDialog, bobMedia);
    }

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
