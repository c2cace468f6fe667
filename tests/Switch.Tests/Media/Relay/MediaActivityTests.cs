using HostedPbx.Switch.Media.Relay;
using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Switch.Tests.Media.Relay;

public sealed class MediaActivityTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void LongestSilence_OneSideVanishesWhileTheOtherTalks_GrowsWithTheSilentSide()
    {
        // Found end to end: a frozen baresip left its call up for as long as the other handset kept talking.
        var activity = new MediaActivity(_time);
        for (var i = 0; i < 300; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(20));
            activity.Heard(fromA: true);
        }

        Assert.Equal(TimeSpan.FromSeconds(6), activity.LongestSilence);
    }

    [Fact]
    public void LongestSilence_BothSidesTalk_StaysShort()
    {
        var activity = new MediaActivity(_time);
        for (var i = 0; i < 300; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(20));
            activity.Heard(fromA: i % 2 == 0);
        }

        Assert.Equal(TimeSpan.FromMilliseconds(20), activity.LongestSilence);
    }

    [Fact]
    public void Restart_AfterSilence_CountsBothSidesAsJustHeard()
    {
        var activity = new MediaActivity(_time);
        _time.Advance(TimeSpan.FromMinutes(5));

        activity.Restart();

        Assert.Equal(TimeSpan.Zero, activity.LongestSilence);
    }
}
