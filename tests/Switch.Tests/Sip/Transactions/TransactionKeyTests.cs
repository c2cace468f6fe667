using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Tests.Sip.Support;

namespace HostedPbx.Switch.Tests.Sip.Transactions;

public sealed class TransactionKeyTests
{
    [Fact]
    public void TryCreateServerKey_Ack_MatchesInviteKey()
    {
        Assert.True(TransactionKey.TryCreateServerKey(TestRequests.Invite(), out var invite));
        Assert.True(TransactionKey.TryCreateServerKey(TestRequests.Ack(), out var ack));

        Assert.Equal(invite, ack);
        Assert.Equal(new TransactionKey("z9hG4bKinv1", "ua.example.com:5061", "INVITE"), invite);
    }

    [Fact]
    public void TryCreateServerKey_Cancel_HasOwnKeyThatPointsToInvite()
    {
        Assert.True(TransactionKey.TryCreateServerKey(TestRequests.Invite(), out var invite));
        Assert.True(TransactionKey.TryCreateServerKey(TestRequests.Cancel(), out var cancel));

        Assert.NotEqual(invite, cancel);
        Assert.Equal(invite, cancel.ForCancelledInvite());
    }

    [Fact]
    public void TryCreateServerKey_DifferentSentBy_DiffersButHostCaseDoesNot()
    {
        Assert.True(TransactionKey.TryCreateServerKey(TestRequests.Request("OPTIONS", "z9hG4bK1", "OPTIONS", "UA.Example.com:5061"), out var upper));
        Assert.True(TransactionKey.TryCreateServerKey(TestRequests.Request("OPTIONS", "z9hG4bK1", "OPTIONS", "ua.example.com:5061"), out var lower));
        Assert.True(TransactionKey.TryCreateServerKey(TestRequests.Request("OPTIONS", "z9hG4bK1", "OPTIONS", "other.example.com:5061"), out var other));

        Assert.Equal(upper, lower);
        Assert.NotEqual(lower, other);
    }

    [Theory]
    [InlineData("z9hG4bK")]
    [InlineData("1234")]
    public void TryCreateServerKey_NoRfc3261Branch_ReturnsFalse(string branch)
    {
        Assert.False(TransactionKey.TryCreateServerKey(TestRequests.Request("OPTIONS", branch, "OPTIONS"), out _));
    }

    [Fact]
    public void TryCreateServerKey_Rfc4475Badbranch_ReturnsFalse()
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "rfc4475", "badbranch.dat"));

        using var request = ParseResult.Parse(bytes).Request;

        Assert.False(TransactionKey.TryCreateServerKey(request, out _));
    }
}
