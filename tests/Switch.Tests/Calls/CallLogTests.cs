using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Tests.Calls.Support;

namespace HostedPbx.Switch.Tests.Calls;

/// <summary>Call lines carry a peer's words (Call-ID, From and Request-URI users, Refer-To) bounded and escaped.</summary>
public sealed class CallLogTests
{
    [Fact]
    public void CallLines_PeerValuesOf64KbWithControlCharacters_EachAtMost80PrintableCharacters()
    {
        var logger = new LineLogger();
        var hostile = "201\r\n2026-12-05 INFO forged line\0%n" + new string('A', 64 * 1024);

        SwitchLog.CallStarted(logger, hostile, hostile, hostile, 1);
        SwitchLog.CallAnswered(logger, hostile, hostile, hostile);
        SwitchLog.TransferStarted(logger, hostile, hostile, hostile, 1);
        SwitchLog.OfferRefused(logger, hostile, hostile);
        SwitchLog.CallEnded(logger, hostile, "Answered", 0);

        Assert.Equal(5, logger.Lines.Count);
        Assert.All(logger.Lines, line =>
        {
            Assert.True(line.Length < 4 * SwitchLog.MaxPeerText + 120, $"{line.Length} characters");
            Assert.All(line, c => Assert.InRange(c, ' ', '~'));
            Assert.DoesNotContain("\n", line, StringComparison.Ordinal);
        });
        Assert.Equal(SwitchLog.MaxPeerText, SwitchLog.Peer(hostile).Length);
        Assert.StartsWith(@"201\x0d\x0a2026", SwitchLog.Peer(hostile), StringComparison.Ordinal);
    }

    [Fact]
    public void Peer_ShortPrintableValue_Unchanged() => Assert.Equal("sip:203@127.0.0.1", SwitchLog.Peer("sip:203@127.0.0.1"));
}
