using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Tests.Sip.Support;
using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Switch.Tests.Sip.Transactions;

public sealed class TransactionTableTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingTransactionUser _user = new();
    private readonly TransactionTable _table = new();

    [Fact]
    public void TryDispatch_AckForNon2xx_ReachesInviteServerTransaction()
    {
        var sender = new RecordingSender(isReliable: false);
        var invite = new ServerInviteTransaction(TestRequests.Invite(), sender, _user, new SipTimerScheduler(_time), new SipTimers());
        Assert.True(_table.TryAddServer(invite));
        invite.Start();
        invite.SendResponse(TestRequests.Response(invite.Request, 486));

        Assert.True(_table.TryDispatch(TestRequests.Ack()));

        Assert.Equal(ServerInviteTransaction.State.Confirmed, invite.CurrentState);
    }

    [Fact]
    public void TryDispatch_Response_ReachesClientTransaction()
    {
        var sender = new RecordingSender(isReliable: true);
        var client = new ClientNonInviteTransaction(TestRequests.Options(), sender, _user, new SipTimerScheduler(_time), new SipTimers());
        Assert.True(_table.TryAddClient(client));
        client.Start();

        Assert.True(_table.TryDispatch(TestRequests.Response(TestRequests.Options(), 180)));

        Assert.Equal(ClientNonInviteTransaction.State.Proceeding, client.CurrentState);
    }

    [Fact]
    public void TryDispatch_Unmatched_ReturnsFalse()
    {
        Assert.False(_table.TryDispatch(TestRequests.Options("z9hG4bKnew")));
        Assert.False(_table.TryDispatch(TestRequests.Response(TestRequests.Options("z9hG4bKnew"), 200)));
    }

    [Fact]
    public void TryFindCancelledInvite_Cancel_FindsInvite()
    {
        var invite = new ServerInviteTransaction(TestRequests.Invite(), new RecordingSender(true), _user, new SipTimerScheduler(_time), new SipTimers());
        _table.TryAddServer(invite);

        Assert.True(_table.TryFindCancelledInvite(TestRequests.Cancel(), out var found));

        Assert.Same(invite, found);
    }

    [Fact]
    public void Remove_Transaction_IsNoLongerFound()
    {
        var invite = new ServerInviteTransaction(TestRequests.Invite(), new RecordingSender(true), _user, new SipTimerScheduler(_time), new SipTimers());
        _table.TryAddServer(invite);
        Assert.False(_table.TryAddServer(invite));

        _table.Remove(invite);

        Assert.Equal(0, _table.Count);
        Assert.False(_table.TryDispatch(TestRequests.Invite()));
    }
}
