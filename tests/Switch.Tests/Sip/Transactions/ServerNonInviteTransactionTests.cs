using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Tests.Sip.Support;
using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Switch.Tests.Sip.Transactions;

public sealed class ServerNonInviteTransactionTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingTransactionUser _user = new();
    private readonly SipTimers _timers = new();

    [Fact]
    public void OnReceive_RetransmitInTrying_IsDiscarded()
    {
        var (transaction, sender) = Create(reliable: false);

        transaction.OnReceive(TestRequests.Options());

        Assert.Empty(sender.Sent);
        Assert.Equal(ServerNonInviteTransaction.State.Trying, transaction.CurrentState);
    }

    [Fact]
    public void OnReceive_RetransmitInProceeding_ResendsProvisional()
    {
        var (transaction, sender) = Create(reliable: false);
        transaction.SendResponse(TestRequests.Response(transaction.Request, 100));

        transaction.OnReceive(TestRequests.Options());

        Assert.Equal(ServerNonInviteTransaction.State.Proceeding, transaction.CurrentState);
        Assert.Equal(2, sender.CountResponses(100));
    }

    [Fact]
    public void TimerJ_UnreliableTransport_AnswersRetransmitsFor64T1()
    {
        var (transaction, sender) = Create(reliable: false);
        transaction.SendResponse(TestRequests.Response(transaction.Request, 200));

        transaction.OnReceive(TestRequests.Options());
        Assert.Equal(2, sender.CountResponses(200));
        _time.AdvanceInSteps(TimeSpan.FromMilliseconds(31_999));
        Assert.Equal(ServerNonInviteTransaction.State.Completed, transaction.CurrentState);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(ServerNonInviteTransaction.State.Terminated, transaction.CurrentState);
        Assert.Equal(1, _user.Terminations);
    }

    [Fact]
    public void TimerJ_ReliableTransport_IsZero()
    {
        var (transaction, _) = Create(reliable: true);

        transaction.SendResponse(TestRequests.Response(transaction.Request, 200));

        Assert.Equal(ServerNonInviteTransaction.State.Terminated, transaction.CurrentState);
    }

    [Fact]
    public void OnTransportError_TellsTuAndTerminates()
    {
        var (transaction, _) = Create(reliable: true);

        transaction.OnTransportError();

        Assert.Equal(1, _user.TransportErrors);
        Assert.True(transaction.IsTerminated);
    }

    private (ServerNonInviteTransaction Transaction, RecordingSender Sender) Create(bool reliable)
    {
        var sender = new RecordingSender(reliable);
        return (new ServerNonInviteTransaction(TestRequests.Options(), sender, _user, new SipTimerScheduler(_time), _timers), sender);
    }
}
