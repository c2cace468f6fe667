using HostedPbx.Switch.Diagnostics;

namespace HostedPbx.Switch.Tests.Transport;

public sealed class PeerTextTests
{
    [Fact]
    public void Bound_ControlBytesAndALongTail_EscapedAndCut()
    {
        var text = PeerText.Bound("a\0b\r\nFORGED LINE" + new string('x', 5000));

        Assert.StartsWith(@"a\x00b\x0d\x0aFORGED LINE", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', text);
        Assert.EndsWith("more)", text, StringComparison.Ordinal);
        Assert.True(text.Length < PeerText.MaxLength + 32);
    }

    [Fact]
    public void Bound_AlreadyBounded_Unchanged()
    {
        var once = PeerText.Bound("201\0");

        Assert.Equal(once, PeerText.Bound(once));
    }
}
