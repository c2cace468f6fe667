using HostedPbx.Switch.Media.Rtp;

namespace HostedPbx.Switch.Tests.Voicemail;

/// <summary>RFC 4733 events as handsets send them: a start, updates, and the end three times, all on one timestamp.</summary>
public sealed class TelephoneEventTests
{
    [Theory]
    [InlineData('0', 0)]
    [InlineData('9', 9)]
    [InlineData('*', 10)]
    [InlineData('#', 11)]
    [InlineData('A', 12)]
    [InlineData('D', 15)]
    public void TryRead_DigitEvent_GivesTheDigitOfRfc4733Table(char digit, byte code)
    {
        var payload = new byte[4];
        new TelephoneEvent(code, End: true, Volume: 10, Duration: 800).Write(payload);

        Assert.True(TelephoneEvent.TryRead(payload, out var read));
        Assert.Equal(digit, read.Digit);
        Assert.True(read.End);
        Assert.Equal(10, read.Volume);
        Assert.Equal(800, read.Duration);
        Assert.Equal(code, TelephoneEvent.CodeOf(digit));
    }

    [Fact]
    public void Receive_StartUpdatesAndThreeEnds_OneDigit()
    {
        var receiver = new TelephoneEventReceiver();
        var digits = new List<char?>();
        foreach (var (end, duration) in new[] { (false, 160), (false, 320), (true, 480), (true, 480), (true, 480) })
        {
            digits.Add(receiver.Receive(8000, Payload(5, end, duration)));
        }

        Assert.Equal(['5'], digits.OfType<char>());
    }

    [Fact]
    public void Receive_SameDigitTwice_TwoEventsByTimestamp()
    {
        var receiver = new TelephoneEventReceiver();

        Assert.Equal('1', receiver.Receive(1000, Payload(1, false, 160)));
        Assert.Null(receiver.Receive(1000, Payload(1, true, 800)));
        Assert.Equal('1', receiver.Receive(3000, Payload(1, false, 160)));
    }

    [Fact]
    public void Receive_ShortOrUnknownEvent_NoDigit()
    {
        var receiver = new TelephoneEventReceiver();

        Assert.Null(receiver.Receive(1, [1, 2, 3]));
        Assert.Null(receiver.Receive(2, Payload(16, false, 160)));
    }

    private static byte[] Payload(byte code, bool end, int duration)
    {
        var payload = new byte[4];
        new TelephoneEvent(code, end, 10, (ushort)duration).Write(payload);
        return payload;
    }
}
