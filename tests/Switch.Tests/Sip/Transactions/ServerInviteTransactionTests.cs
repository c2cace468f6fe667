using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Tests.Sip.Support;
using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Switch.Tests.Sip.Transactions;

public sealed class ServerInviteTransactionTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingTransactionUser _user = new();
    private readonly SipTimers _timers = new();

    [Fact]
    public void Start_Always_Sends100Trying()
    {
        var (transaction, sender) = Start(reliable: true);

        Assert.Equal(1, sender.CountResponses(100));
        Assert.Equal(ServerInviteTransaction.State.Proceeding, transaction.CurrentState);
    }

    [Fact]
    public void OnReceive_InviteRetransmitInProceeding_ResendsLatestProvisional()
    {
        var (transaction, sender) = Start(reliable: false);
        transaction.OnReceive(TestRequests.Invite());
        Assert.Equal(2, sender.CountResponses(100));

        transaction.SendResponse(TestRequests.Response(transaction.Request, 180));
        transaction.OnReceive(TestRequests.Invite());

        Assert.Equal(2, sender.CountResponses(180));
        Assert.Equal(2, sender.CountResponses(100));
    }

    [Fact]
    public void SendResponse_Success_Terminates()
    {
        var (transaction, _) = Start(reliable: false);

        transaction.SendResponse(TestRequests.Response(transaction.Request, 200));

        Assert.Equal(ServerInviteTransaction.State.Terminated, transaction.CurrentState);
        Assert.Equal(1, _user.Terminations);
    }

    [Fact]
    public void TimerG_UnreliableTransport_RetransmitsFinalDoublingToT2()
    {
        var (transaction, sender) = Start(reliable: false);
        transaction.SendResponse(TestRequests.Response(transaction.Request, 486));

        // Sent at 0, then 0.5, 1.5, 3.5, 7.5, 11.5 (capped at T2).
        var expected = new (int At, int Count)[] { (499, 1), (500, 2), (1_500, 3), (3_500, 4), (7_500, 5), (11_499, 5), (11_500, 6) };
        var now = 0;
        foreach (var (at, count) in expected)
        {
            _time.AdvanceInSteps(TimeSpan.FromMilliseconds(at - now));
            now = at;
            Assert.Equal(count, sender.CountResponses(486));
        }
    }

    [Fact]
    public void TimerG_ReliableTransport_IsNotStarted()
    {
        var (transaction, sender) = Start(reliable: true);
        transaction.SendResponse(TestRequests.Response(transaction.Request, 486));

        _time.AdvanceInSteps(TimeSpan.FromSeconds(20));

        Assert.Equal(1, sender.CountResponses(486));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TimerH_NoAck_TimesOutAfter64T1(bool reliable)
    {
        var (transaction, _) = Start(reliable);
        transaction.SendResponse(TestRequests.Response(transaction.Request, 486));

        _time.AdvanceInSteps(TimeSpan.FromMilliseconds(31_999));
        Assert.Equal(ServerInviteTransaction.State.Completed, transaction.CurrentState);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(1, _user.Timeouts);
        Assert.Equal(ServerInviteTransaction.State.Terminated, transaction.CurrentState);
    }

    [Fact]
    public void OnReceive_InviteRetransmitInCompleted_ResendsFinal()
    {
        var (transaction, sender) = Start(reliable: true);
        transaction.SendResponse(TestRequests.Response(transaction.Request, 603));

        transaction.OnReceive(TestRequests.Invite());

        Assert.Equal(2, sender.CountResponses(603));
    }

    [Fact]
    public void TimerI_UnreliableTransport_AbsorbsAcksForT4()
    {
        var (transaction, sender) = Start(reliable: false);
        transaction.SendResponse(TestRequests.Response(transaction.Request, 486));

        transaction.OnReceive(TestRequests.Ack());
        Assert.Equal(ServerInviteTransaction.State.Confirmed, transaction.CurrentState);
        transaction.OnReceive(TestRequests.Ack());
        _time.AdvanceInSteps(TimeSpan.FromMilliseconds(4_999));
        Assert.Equal(ServerInviteTransaction.State.Confirmed, transaction.CurrentState);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(ServerInviteTransaction.State.Terminated, transaction.CurrentState);
        Assert.Equal(1, sender.CountResponses(486));
        Assert.Equal(0, _user.Timeouts);
    }

    [Fact]
    public void TimerI_ReliableTransport_IsZero()
    {
        var (transaction, _) = Start(reliable: true);
        transaction.SendResponse(TestRequests.Response(transaction.Request, 486));

        transaction.OnReceive(TestRequests.Ack());

        Assert.Equal(ServerInviteTransaction.State.Terminated, transaction.CurrentState);
    }

    [Fact]
    public void SendResponse_AfterFinal_IsIgnored()
    {
        var (transaction, sender) = Start(reliable: true);
        transaction.SendResponse(TestRequests.Response(transaction.Request, 486));

        transaction.SendResponse(TestRequests.Response(transaction.Request, 200));

        Assert.Equal(0, sender.CountResponses(200));
    }

    private (ServerInviteTransaction Transaction, RecordingSender Sender) Start(bool reliable)
    {
        var sender = new RecordingSender(reliable);
        var transaction = new ServerInviteTransaction(TestRequests.Invite(), sender, _user, new SipTimerScheduler(_time), _timers);
        transaction.Start();
        return (transaction, sender);
    }
}
