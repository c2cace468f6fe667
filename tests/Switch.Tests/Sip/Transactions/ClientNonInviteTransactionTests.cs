using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Tests.Sip.Support;
using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Switch.Tests.Sip.Transactions;

public sealed class ClientNonInviteTransactionTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingTransactionUser _user = new();
    private readonly SipTimers _timers = new();

    [Fact]
    public void TimerE_UnreliableTransport_DoublesUpToT2()
    {
        var (_, sender) = Start(reliable: false);

        // Sends at 0, 0.5, 1.5, 3.5, 7.5, then every T2 = 4 s: 11.5, 15.5.
        var expected = new (int At, int Count)[] { (499, 1), (500, 2), (1_500, 3), (3_500, 4), (7_500, 5), (11_499, 5), (11_500, 6), (15_500, 7) };
        var now = 0;
        foreach (var (at, count) in expected)
        {
            _time.AdvanceInSteps(TimeSpan.FromMilliseconds(at - now));
            now = at;
            Assert.Equal(count, sender.CountRequests("OPTIONS"));
        }
    }

    [Fact]
    public void TimerE_InProceeding_RetransmitsEveryT2()
    {
        var (transaction, sender) = Start(reliable: false);
        transaction.OnReceive(TestRequests.Response(TestRequests.Options(), 100));

        _time.AdvanceInSteps(TimeSpan.FromMilliseconds(500));
        Assert.Equal(2, sender.CountRequests("OPTIONS"));
        _time.AdvanceInSteps(TimeSpan.FromMilliseconds(3_999));
        Assert.Equal(2, sender.CountRequests("OPTIONS"));
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(3, sender.CountRequests("OPTIONS"));
        Assert.Equal(ClientNonInviteTransaction.State.Proceeding, transaction.CurrentState);
    }

    [Fact]
    public void TimerE_ReliableTransport_IsNotStarted()
    {
        var (_, sender) = Start(reliable: true);

        _time.AdvanceInSteps(TimeSpan.FromSeconds(31));

        Assert.Equal(1, sender.CountRequests("OPTIONS"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TimerF_NoFinalResponse_TimesOut(bool reliable)
    {
        var (transaction, _) = Start(reliable);
        transaction.OnReceive(TestRequests.Response(TestRequests.Options(), 100));

        _time.AdvanceInSteps(TimeSpan.FromMilliseconds(31_999));
        Assert.Equal(0, _user.Timeouts);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(1, _user.Timeouts);
        Assert.True(transaction.IsTerminated);
    }

    [Fact]
    public void TimerK_UnreliableTransport_AbsorbsRetransmissionsForT4()
    {
        var (transaction, sender) = Start(reliable: false);
        transaction.OnReceive(TestRequests.Response(TestRequests.Options(), 200));
        transaction.OnReceive(TestRequests.Response(TestRequests.Options(), 200));

        Assert.Equal(ClientNonInviteTransaction.State.Completed, transaction.CurrentState);
        Assert.Single(_user.Responses);
        _time.AdvanceInSteps(TimeSpan.FromMilliseconds(4_999));
        Assert.Equal(ClientNonInviteTransaction.State.Completed, transaction.CurrentState);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(ClientNonInviteTransaction.State.Terminated, transaction.CurrentState);
        Assert.Equal(1, sender.CountRequests("OPTIONS"));
        Assert.Equal(0, _user.Timeouts);
    }

    [Fact]
    public void TimerK_ReliableTransport_IsZero()
    {
        var (transaction, _) = Start(reliable: true);

        transaction.OnReceive(TestRequests.Response(TestRequests.Options(), 404));

        Assert.Equal(ClientNonInviteTransaction.State.Terminated, transaction.CurrentState);
        Assert.Equal(404, Assert.Single(_user.Responses).StatusCode);
    }

    [Fact]
    public void Constructor_Invite_IsRefused()
    {
        Assert.Throws<ArgumentException>(() =>
            new ClientNonInviteTransaction(TestRequests.Invite(), new RecordingSender(true), _user, new SipTimerScheduler(_time), _timers));
    }

    private (ClientNonInviteTransaction Transaction, RecordingSender Sender) Start(bool reliable)
    {
        var sender = new RecordingSender(reliable);
        var transaction = new ClientNonInviteTransaction(TestRequests.Options(), sender, _user, new SipTimerScheduler(_time), _timers);
        transaction.Start();
        return (transaction, sender);
    }
}
