using HostedPbx.Data.Entities;
using HostedPbx.Switch.Calls.Recording;

namespace HostedPbx.Switch.Tests.Recordings;

/// <summary>The recording feature codes keyed in a call (issue 10 items 1 and 3): <c>*1</c> on demand, <c>*2</c> PCI pause.</summary>
public sealed class RecordedCallTests
{
    private const int Rate = 8000;

    [Fact]
    public void StarOne_OnDemand_RecordsOnlyFromStartToStop()
    {
        using var scene = new RecordedCallScene(RecordingMode.OnDemand);
        scene.Talk(1000);
        Assert.Empty(scene.Recordings);

        scene.Key(fromCaller: false, "*1");
        Assert.Single(scene.Recordings);
        Assert.True(scene.Call.WasRecorded);
        scene.Talk(2000);
        scene.Key(fromCaller: false, "*1");
        Assert.True(scene.Recordings[0].IsStopping);
        scene.Talk(1000);

        var files = scene.End();

        var file = Assert.Single(files);
        var seconds = file.Length / 2.0 / Rate;
        // The two seconds talked between the codes and the second code's 60 ms, not the second before nor after.
        Assert.InRange(seconds, 1.9, 2.3);
        Assert.True(Loudness(file, left: true, 0.2, 1.8) > 4000);
        Assert.True(Loudness(file, left: false, 0.2, 1.8) > 4000);
        Assert.NotNull(scene.Recordings[0].EndedAt);
    }

    [Fact]
    public void StarOne_PressedAgain_StartsASecondRecording()
    {
        using var scene = new RecordedCallScene(RecordingMode.OnDemand);
        scene.Key(fromCaller: true, "*1");
        scene.Talk(500);
        scene.Key(fromCaller: true, "*1");
        scene.Talk(500);
        scene.Key(fromCaller: true, "*1");
        scene.Talk(500);

        var files = scene.End();

        Assert.Equal(2, files.Count);
        Assert.All(scene.Recordings, r => Assert.True(r.IsStopping));
    }

    [Fact]
    public void StarTwo_WhileRecording_KeepsTheGapSilentAndNamesWhoPaused()
    {
        using var scene = new RecordedCallScene(RecordingMode.Always);
        scene.Talk(1000);
        scene.Key(fromCaller: true, "*2");
        Assert.True(scene.Recordings[0].IsPaused);
        scene.Talk(1000);
        // The card's digits keyed during the pause: neither their events nor anything said is kept.
        scene.Key(fromCaller: true, "4929");
        scene.Talk(1000);
        scene.Key(fromCaller: true, "*2");
        Assert.False(scene.Recordings[0].IsPaused);
        scene.Talk(1000);

        var file = Assert.Single(scene.End());

        var pause = Assert.Single(scene.Recordings[0].Pauses);
        Assert.Equal("201", pause.PausedBy);
        Assert.InRange((pause.End - pause.Start).TotalSeconds, 2.2, 2.5);
        var start = pause.Start.TotalSeconds;
        var end = pause.End.TotalSeconds;
        Assert.Equal(0, Loudness(file, left: true, start + 0.05, end - 0.05));
        Assert.Equal(0, Loudness(file, left: false, start + 0.05, end - 0.05));
        Assert.True(Loudness(file, left: true, 0.2, 0.9) > 4000);
        Assert.True(Loudness(file, left: true, end + 0.2, end + 0.8) > 4000);
        Assert.True(Loudness(file, left: false, end + 0.2, end + 0.8) > 4000);
    }

    [Fact]
    public void ApiPause_WhenThePhonesComeBackEarlyOnTheirClock_MarksTheGapWhereTheFileHasIt()
    {
        using var scene = new RecordedCallScene(RecordingMode.Always);
        scene.Talk(1000);
        Assert.True(scene.Call.Pause("API key payments"));
        // Two seconds pass at the switch; the phones' timestamps say 1.88 s (their packets were late before the pause).
        scene.Quiet(2000, 1880);
        Assert.True(scene.Call.Resume());
        scene.Talk(1000);

        var file = Assert.Single(scene.End());

        var pause = Assert.Single(scene.Recordings[0].Pauses);
        Assert.Equal("API key payments", pause.PausedBy);
        Assert.InRange((pause.End - pause.Start).TotalMilliseconds, 1860, 1900);
        Assert.Equal(0, Loudness(file, left: true, pause.Start.TotalSeconds + 0.02, pause.End.TotalSeconds - 0.001));
        Assert.Equal(0, Loudness(file, left: false, pause.Start.TotalSeconds + 0.02, pause.End.TotalSeconds - 0.001));
        Assert.True(Loudness(file, left: true, pause.End.TotalSeconds, pause.End.TotalSeconds + 0.02) > 4000, "the audio resumes where the pause ends");
    }

    [Fact]
    public void StarTwo_FromCallee_NamesTheCallee()
    {
        using var scene = new RecordedCallScene(RecordingMode.Always);
        scene.Talk(500);
        scene.Key(fromCaller: false, "*2");
        scene.Talk(500);
        scene.End();

        Assert.Equal("202", Assert.Single(scene.Recordings[0].Pauses).PausedBy);
    }

    [Fact]
    public void InfoDigits_StarTwoThenStarTwo_PauseAndResume()
    {
        using var scene = new RecordedCallScene(RecordingMode.Always);
        scene.Talk(500);
        scene.Call.OnDigit(fromCaller: true, '*');
        scene.Call.OnDigit(fromCaller: true, '2');
        Assert.True(scene.Recordings[0].IsPaused);
        scene.Talk(500);
        scene.Call.OnDigit(fromCaller: true, '*');
        scene.Call.OnDigit(fromCaller: true, '2');

        Assert.False(scene.Recordings[0].IsPaused);
        Assert.Equal("201", Assert.Single(scene.Recordings[0].Pauses).PausedBy);
    }

    [Fact]
    public void StarOne_UnderAlwaysPolicy_DoesNotStopTheRecording()
    {
        using var scene = new RecordedCallScene(RecordingMode.Always);
        scene.Talk(500);
        scene.Key(fromCaller: true, "*1");
        scene.Talk(500);

        Assert.False(scene.Recordings[0].IsStopping);
        Assert.Single(scene.End());
    }

    [Fact]
    public void StarTwo_NothingRecording_ChangesNothing()
    {
        using var scene = new RecordedCallScene(RecordingMode.OnDemand);
        scene.Key(fromCaller: true, "*2");
        scene.Talk(200);

        Assert.Empty(scene.Recordings);
        Assert.False(scene.Call.WasRecorded);
        Assert.Empty(scene.End());
    }

    [Fact]
    public void OnAudio_AudioAndEvents_AllocatesNothing()
    {
        using var scene = new RecordedCallScene(RecordingMode.Always);
        byte[] audio = [0x80, 0x00, 0, 1, 0, 0, 0x10, 0, 0, 0, 0, 1, .. new byte[160]];
        byte[] digit = [0x80, RecordedCallScene.TelephoneEventType, 0, 2, 0, 0, 0x20, 0, 0, 0, 0, 1, 5, 10, 0, 160];
        scene.Call.OnAudio(fromA: true, audio);
        scene.Call.OnAudio(fromA: true, digit);

        var allocated = Allocations.LeastOfFiveWindows(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                scene.Call.OnAudio(fromA: true, audio);
                scene.Call.OnAudio(fromA: false, audio);
                scene.Call.OnAudio(fromA: true, digit);
            }
        });

        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData("*1", RecordingFeature.StartStop)]
    [InlineData("5*2", RecordingFeature.PauseResume)]
    [InlineData("**1", RecordingFeature.StartStop)]
    [InlineData("*3", RecordingFeature.None)]
    [InlineData("1", RecordingFeature.None)]
    internal void FeatureCodeMatcher_Digits_MatchTheirCode(string digits, RecordingFeature expected)
    {
        var matcher = new FeatureCodeMatcher();
        var last = RecordingFeature.None;
        foreach (var digit in digits)
        {
            last = matcher.Add(digit);
        }

        Assert.Equal(expected, last);
    }

    /// <summary>The mean absolute sample of one channel between two times, in seconds from the file's start.</summary>
    private static double Loudness(short[] stereo, bool left, double from, double to)
    {
        var first = (int)(from * Rate);
        var last = Math.Min((int)(to * Rate), (stereo.Length / 2) - 1);
        Assert.True(last > first, $"the file ({stereo.Length / 2.0 / Rate:F2} s) covers {from:F2}-{to:F2} s");
        double sum = 0;
        for (var i = first; i < last; i++)
        {
            sum += Math.Abs((int)stereo[(i * 2) + (left ? 0 : 1)]);
        }

        return sum / (last - first);
    }
}
