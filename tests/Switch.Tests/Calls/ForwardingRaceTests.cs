using HostedPbx.Data.Entities;
using HostedPbx.Switch.Calls;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Tests.Calls.Support;

namespace HostedPbx.Switch.Tests.Calls;

/// <summary>
/// The forward on no answer while the forks it leaves are still answering: 202's fork is CANCELled and its 487 comes
/// back before, while or after 203 (the target) rings and answers, or in the same instant as 203's 200. Whatever the
/// order, the call reaches 203: a 487 of the generation the forward left is never counted against the new one.
/// </summary>
public sealed class ForwardingRaceTests : IAsyncLifetime
{
    private readonly CallHarness _switch = new(mediaPortMin: 32400, mediaPortMax: 32599);
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private Guid _tenant;
    private TestPhone _alice = null!;
    private TestPhone _bob = null!;
    private TestPhone _carol = null!;

    public enum Order
    {
        BeforeTheTargetRings,
        WhileTheTargetRings,
        AfterTheTargetAnswers,
    }

    public async ValueTask InitializeAsync()
    {
        _tenant = _switch.AddTenant();
        _alice = await _switch.ConnectAsync(_tenant, "201", _ct);
        _bob = await _switch.ConnectAsync(_tenant, "202", _ct);
        _carol = await _switch.ConnectAsync(_tenant, "203", _ct);
        _switch.SetForwarding(_tenant, "202", noAnswer: "203", noAnswerSeconds: 5);
    }

    public ValueTask DisposeAsync() => _switch.DisposeAsync();

    [Theory]
    [InlineData(Order.BeforeTheTargetRings)]
    [InlineData(Order.WhileTheTargetRings)]
    [InlineData(Order.AfterTheTargetAnswers)]
    public async Task ForwardNoAnswer_OldForks487InAnyOrder_CallIsAnsweredBy203(Order order)
    {
        var call = await _alice.InviteAsync("202", _ct);
        var bobInvite = await _bob.RequestAsync("INVITE", _ct);
        var bobDialog = await _bob.RingAsync(bobInvite, _ct);
        await _alice.ResponseAsync(call.CallId, "INVITE", 180, _ct);

        _switch.Time.Advance(TimeSpan.FromSeconds(5));
        await _bob.RequestAsync("CANCEL", _ct);
        var carolInvite = await _carol.RequestAsync("INVITE", _ct);
        var bob487 = _bob.Response(bobInvite, 487, bobDialog.LocalTag!);

        if (order == Order.BeforeTheTargetRings)
        {
            await _bob.SendAsync(bob487, _ct);
            await _bob.PingAsync(_ct);
        }

        var carolDialog = await _carol.RingAsync(carolInvite, _ct);
        if (order == Order.WhileTheTargetRings)
        {
            await _bob.SendAsync(bob487, _ct);
            await _bob.PingAsync(_ct);
        }

        var carolMedia = await _carol.AcceptAsync(carolInvite, carolDialog, _ct);
        await _alice.CompleteAsync(call, _ct);
        if (order == Order.AfterTheTargetAnswers)
        {
            await _bob.SendAsync(bob487, _ct);
            await _bob.PingAsync(_ct);
        }

        var answered = _switch.Calls.ActiveCalls.Single();
        Assert.Equal(Call.State.Answered, answered.CurrentState);
        Assert.Equal("203", answered.Callee!.Party);
        Assert.False(_alice.HasReceived<SipResponse>(r => r.CallId == call.CallId && r.StatusCode >= 300));
        Assert.NotNull(carolMedia);
    }

    /// <summary>
    /// 203's 200 and 202's 487 are both read while the call is busy deciding something else (its lock held), so the
    /// two wait at its door together and go in in either order: the forward race seen once in a full end-to-end run,
    /// where the 487 was decided first and counted 203's fork as failed because its leg had already marked its 200.
    /// Twenty calls in a row; every one must be answered by 203 and leave a record saying so.
    /// </summary>
    [Fact]
    public async Task ForwardNoAnswer_Old487AndTargets200ReadTogether_EveryCallIsAnsweredBy203()
    {
        for (var round = 0; round < 20; round++)
        {
            var call = await _alice.InviteAsync("202", _ct);
            var bobInvite = await _bob.RequestAsync("INVITE", _ct);
            var bobDialog = await _bob.RingAsync(bobInvite, _ct);
            await _alice.ResponseAsync(call.CallId, "INVITE", 180, _ct);
            _switch.Time.Advance(TimeSpan.FromSeconds(5));
            await _bob.RequestAsync("CANCEL", _ct);
            var carolInvite = await _carol.RequestAsync("INVITE", _ct);
            var carolDialog = await _carol.RingAsync(carolInvite, _ct);
            await _carol.PingAsync(_ct);

            using (var busy = new BusyCall(_switch.Calls.ActiveCalls.Single()))
            {
                // The switch ACKs each final answer as its leg takes it (RFC 3261 §17.1.1.3, §13.2.2.4), before the call hears of it.
                await _carol.AcceptAsync(carolInvite, carolDialog, _ct);
                await _carol.RequestAsync("ACK", _ct);
                await _bob.SendAsync(_bob.Response(bobInvite, 487, bobDialog.LocalTag!), _ct);
                await _bob.RequestAsync("ACK", _ct);
                busy.Release();
            }

            var final = await _alice.NextAsync<SipResponse>(r => r.CallId == call.CallId && r.StatusCode >= 200, _ct);
            Assert.True(final.StatusCode == 200, $"round {round}: the caller got {final.StatusCode} instead of 203's answer");
            call.Remote = $"{call.Remote};tag={final.ToTag}";
            await _alice.SendAsync(_alice.Request("ACK", call.RemoteTarget, call.CallId, call.Local, call.Remote, 1), _ct);
            await _alice.SendAsync(_alice.InDialog("BYE", call), _ct);
            await _alice.ResponseAsync(call.CallId, "BYE", 200, _ct);
            await _carol.RequestAsync("BYE", _ct);

            var record = await EndedRecordAsync();
            Assert.Equal(CallOutcome.Answered, record.Outcome);
            Assert.Equal("202", record.ToParty);
            Assert.Equal("203", record.Legs.Single(l => l.Position == 2).Party);
        }
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
