using HostedPbx.Data.Recordings;

namespace HostedPbx.Data.Tests.Recordings;

/// <summary>The one rule for a tenant's in-call recording codes, as the API and the portal apply it.</summary>
public sealed class RecordingFeatureCodesTests
{
    // Extension numbers are digits today (ck_extensions_number); "*7" stands for one that would look like a code.
    private static readonly string[] Extensions = ["201", "202", "*7"];

    [Theory]
    [InlineData("*5", "*6")]
    [InlineData("*123", "*8")]
    [InlineData("*1", "*2")]
    public void Problem_StarAndOneToThreeDigitsClashingWithNothing_IsNone(string startStop, string pauseResume) =>
        Assert.Null(new RecordingFeatureCodes(startStop, pauseResume).Problem("*97", Extensions));

    [Theory]
    [InlineData("5", "*6", "StartStop", "The start/stop code is * followed by 1 to 3 digits, e.g. *1.")]
    [InlineData("*5", "*1234", "PauseResume", "The pause/resume code is * followed by 1 to 3 digits, e.g. *1.")]
    [InlineData("*5", "*#", "PauseResume", "The pause/resume code is * followed by 1 to 3 digits, e.g. *1.")]
    [InlineData("*5", "*5", "PauseResume", "The two codes clash: *5 and *5 must differ, and neither may begin the other.")]
    [InlineData("*1", "*12", "PauseResume", "The two codes clash: *1 and *12 must differ, and neither may begin the other.")]
    [InlineData("*9", "*2", "StartStop", "The start/stop code *9 clashes with the voicemail access number *97.")]
    [InlineData("*1", "*97", "PauseResume", "The pause/resume code *97 clashes with the voicemail access number *97.")]
    [InlineData("*7", "*2", "StartStop", "The start/stop code *7 clashes with extension *7.")]
    public void Problem_BadShapeOrClash_NamesTheFieldAndWhy(string startStop, string pauseResume, string field, string message) =>
        Assert.Equal((field, message), new RecordingFeatureCodes(startStop, pauseResume).Problem("*97", Extensions));
}
