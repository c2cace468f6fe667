using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Tests.Media.Srtp;

public sealed class ReplayWindowTests
{
    [Fact]
    public void CanAccept_Empty_AcceptsAnything()
    {
        var window = new ReplayWindow();

        Assert.True(window.CanAccept(0));
        Assert.True(window.CanAccept(123_456));
    }

    [Fact]
    public void CanAccept_AcceptedIndex_False()
    {
        var window = new ReplayWindow();
        window.Accept(10);

        Assert.False(window.CanAccept(10));
        Assert.True(window.CanAccept(11));
        Assert.True(window.CanAccept(9));
    }

    [Fact]
    public void CanAccept_OlderThan64BehindHighest_False()
    {
        var window = new ReplayWindow();
        window.Accept(1000);

        Assert.True(window.CanAccept(1000 - 63));
        Assert.False(window.CanAccept(1000 - 64));
    }

    [Fact]
    public void Accept_OutOfOrder_MarksEachIndexOnce()
    {
        var window = new ReplayWindow();
        foreach (var index in new ulong[] { 50, 48, 52, 49 })
        {
            Assert.True(window.CanAccept(index));
            window.Accept(index);
        }

        Assert.Equal(52UL, window.Highest);
        Assert.False(window.CanAccept(48));
        Assert.False(window.CanAccept(49));
        Assert.False(window.CanAccept(50));
        Assert.True(window.CanAccept(51));
    }

    [Fact]
    public void Accept_JumpBeyondWindow_ForgetsOldMarks()
    {
        var window = new ReplayWindow();
        window.Accept(5);
        window.Accept(5 + 200);

        Assert.False(window.CanAccept(5));
        Assert.True(window.CanAccept(5 + 200 - 1));
        Assert.False(window.CanAccept(5 + 200));
    }

    [Fact]
    public void Accept_ShiftByExactly63_KeepsOldestMark()
    {
        var window = new ReplayWindow();
        window.Accept(0);
        window.Accept(63);

        Assert.False(window.CanAccept(0));
        window.Accept(64);
        Assert.False(window.CanAccept(0));
        Assert.True(window.CanAccept(1));
    }
}
