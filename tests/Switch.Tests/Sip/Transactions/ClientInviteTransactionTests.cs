using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Tests.Sip.Support;
using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Switch.Tests.Sip.Transactions;

public sealed class ClientInviteTransactionTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingTransactionUser _user = new();
    private readonly SipTimers _timers = new();

    [Fact]
    public void TimerA_UnreliableTransport_RetransmitsWithDoublingInterval()
    {
        var (transaction, sender) = Start(reliable: false);

        Assert.Equal(1, sender.CountRequests("INVITE"));
        _time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Equal(1, sender.CountRequests("INVITE"));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, sender.CountRequests("INVITE"));
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(2, sender.CountRequests("INVITE"));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(3, sender.CountRequests("INVITE"));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(4, sender.CountRequests("INVITE"));
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(5, sender.CountRequests("INVITE"));
        Assert.Equal(ClientInviteTransaction.State.Calling, transaction.CurrentState);
    }

    [Fact]
    public void TimerA_ReliableTransport_IsNotStarted()
    {
        var (_, sender) = Start(reliable: true);

        Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(1, sender.CountRequests("INVITE"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TimerB_NoResponse_TimesOutAfter64T1(bool reliable)
    {
        var (transaction, _) = Start(reliable);

        Advance(TimeSpan.FromMilliseconds(31_999));
        Assert.Equal(0, _user.Timeouts);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(1, _user.Timeouts);
        Assert.Equal(ClientInviteTransaction.State.Terminated, transaction.CurrentState);
        Assert.Equal(1, _user.Terminations);
    }

    [Fact]
    public void TimerB_AfterProvisional_DoesNotTimeOut()
    {
        var (transaction, _) = Start(reliable: true);
        transaction.OnReceive(TestRequests.Response(TestRequests.Invite(), 180));

        Advance(TimeSpan.FromSeconds(40));

        Assert.Equal(0, _user.Timeouts);
        Assert.Equal(ClientInviteTransaction.State.Proceeding, transaction.CurrentState);
    }

    [Fact]
    public void OnReceive_Provisional_StopsTimerAAndGoesToTu()
    {
        var (transaction, sender) = Start(reliable: false);

        transaction.OnReceive(TestRequests.Response(TestRequests.Invite(), 180));
        Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(ClientInviteTransaction.State.Proceeding, transaction.CurrentState);
        Assert.Equal(1, sender.CountRequests("INVITE"));
        Assert.Equal(180, Assert.Single(_user.Responses).StatusCode);
    }

    [Fact]
    public void OnReceive_Success_GoesToTuWithoutAckAndTerminates()
    {
        var (transaction, sender) = Start(reliable: false);
        transaction.OnReceive(TestRequests.Response(TestRequests.Invite(), 180));

        transaction.OnReceive(TestRequests.Response(TestRequests.Invite(), 200));

        Assert.Equal(ClientInviteTransaction.State.Terminated, transaction.CurrentState);
        Assert.Equal([180, 200], _user.Responses.Select(r => r.StatusCode));
        Assert.Equal(0, sender.CountRequests("ACK"));
    }

    [Fact]
    public void OnReceive_Failure_SendsAckBuiltPerRfc3261Section17113()
    {
        var (transaction, sender) = Start(reliable: false);

        transaction.OnReceive(TestRequests.Response(TestRequests.Invite(), 486, toTag: "busy1"));

        Assert.Equal(ClientInviteTransaction.State.Completed, transaction.CurrentState);
        var ack = Assert.IsType<SipRequest>(sender.Sent[^1]);
        Assert.Equal(SipMethod.Ack, ack.Method);
        Assert.Equal("sip:bob@biloxi.example.com"u8, ack.RequestUri);
        Assert.Equal("busy1", ack.ToTag);
        Assert.Equal("a1", ack.FromTag);
        Assert.Equal("call-1@atlanta.example.com", ack.CallId);
        Assert.True(ack.TryGetCSeq(out var cseq));
        Assert.Equal(7u, cseq.Number);
        Assert.Equal("ACK"u8, cseq.Method);
        Assert.True(ack.TryGetTopVia(out var via));
        Assert.Equal("z9hG4bKinv1"u8, via.Branch);
        Assert.True(ack.TryGetHeader(KnownHeader.Route, out var route));
        Assert.Equal("<sip:proxy.example.com;lr>"u8, route);
        Assert.Equal(486, Assert.Single(_user.Responses).StatusCode);
        Assert.Same(ack, transaction.Ack);
    }

    [Fact]
    public void OnResponse_TuCallsBackIn_SeesStepCompletedAndAckSent()
    {
        var (transaction, sender) = Start(reliable: false);
        var seen = (State: ClientInviteTransaction.State.Calling, Acks: 0);
        _user.ResponseHook = (t, _) =>
        {
            var invite = (ClientInviteTransaction)t;
            seen = (invite.CurrentState, sender.CountRequests("ACK"));
            invite.OnTimer(SipTimer.A);
        };

        transaction.OnReceive(TestRequests.Response(TestRequests.Invite(), 486));

        Assert.Equal((ClientInviteTransaction.State.Completed, 1), seen);
        Assert.Equal(1, sender.CountRequests("INVITE"));
    }

    [Fact]
    public void OnReceive_RetransmittedFailureInCompleted_ResendsAckOnly()
    {
        var (transaction, sender) = Start(reliable: false);
        transaction.OnReceive(TestRequests.Response(TestRequests.Invite(), 486));

        transaction.OnReceive(TestRequests.Response(TestRequests.Invite(), 486));

        Assert.Equal(2, sender.CountRequests("ACK"));
        Assert.Single(_user.Responses);
    }

    [Fact]
    public void TimerD_UnreliableTransport_TerminatesAfter32Seconds()
    {
        var (transaction, _) = Start(reliable: false);
        transaction.OnReceive(TestRequests.Response(TestRequests.Invite(), 404));

        Advance(TimeSpan.FromMilliseconds(31_999));
        Assert.Equal(ClientInviteTransaction.State.Completed, transaction.CurrentState);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(ClientInviteTransaction.State.Terminated, transaction.CurrentState);
        Assert.Equal(0, _user.Timeouts);
    }

    [Fact]
    public void TimerD_ReliableTransport_IsZero()
    {
        var (transaction, _) = Start(reliable: true);

        transaction.OnReceive(TestRequests.Response(TestRequests.Invite(), 404));

        Assert.Equal(ClientInviteTransaction.State.Terminated, transaction.CurrentState);
        Assert.Equal(1, _user.Terminations);
    }

    [Fact]
    public void OnTransportError_InCalling_TellsTuAndTerminates()
    {
        var (transaction, _) = Start(reliable: true);

        transaction.OnTransportError();

        Assert.Equal(1, _user.TransportErrors);
        Assert.True(transaction.IsTerminated);
    }

    [Fact]
    public void Key_OfResponse_MatchesKeyOfRequest()
    {
        var (transaction, _) = Start(reliable: true);

        Assert.True(TransactionKey.TryCreateClientKey(TestRequests.Response(TestRequests.Invite(), 180), out var key));

        Assert.Equal(transaction.Key, key);
        Assert.Equal("INVITE", key.Method);
        Assert.Equal(string.Empty, key.SentBy);
    }

    [Fact]
    public void CreateCancel_Always_MatchesInviteServerTransactionOfCancel()
    {
        var (transaction, _) = Start(reliable: true);

        using var cancel = transaction.CreateCancel();

        Assert.Equal(SipMethod.Cancel, cancel.Method);
        Assert.Equal("sip:bob@biloxi.example.com"u8, cancel.RequestUri);
        Assert.Equal(string.Empty, cancel.ToTag);
        Assert.True(cancel.TryGetCSeq(out var cseq));
        Assert.Equal(7u, cseq.Number);
        Assert.Equal("CANCEL"u8, cseq.Method);
        Assert.True(TransactionKey.TryCreateServerKey(cancel, out var cancelKey));
        Assert.True(TransactionKey.TryCreateServerKey(TestRequests.Invite(), out var inviteKey));
        Assert.Equal(inviteKey, cancelKey.ForCancelledInvite());
    }

    private (ClientInviteTransaction Transaction, RecordingSender Sender) Start(bool reliable)
    {
        var sender = new RecordingSender(reliable);
        var transaction = new ClientInviteTransaction(TestRequests.Invite(), sender, _user, new SipTimerScheduler(_time), _timers);
        transaction.Start();
        return (transaction, sender);
    }

    private void Advance(TimeSpan total) => _time.AdvanceInSteps(total);
}
