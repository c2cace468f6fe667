namespace HostedPbx.Switch.Calls.Recording;

/// <summary>
/// Recognizes the recording feature codes in the digits one party keys during a call (RFC 4733 events or SIP INFO
/// dtmf-relay), allocating nothing: the last digits are kept in a fixed buffer and a code matches when they end with it.
/// A code is consumed once matched, so <c>*1*1</c> is two presses. The codes are the tenant's
/// (<see cref="Data.Recordings.RecordingFeatureCodes"/>, <c>*1</c> and <c>*2</c> by default).
/// </summary>
internal sealed class FeatureCodeMatcher
{
    public const string DefaultStartStop = "*1";
    public const string DefaultPauseResume = "*2";

    private const int MaxCode = 8;

    private readonly char[] _digits = new char[MaxCode];
    private readonly string _startStop;
    private readonly string _pauseResume;
    private int _count;

    public FeatureCodeMatcher(string startStop = DefaultStartStop, string pauseResume = DefaultPauseResume)
    {
        if (startStop.Length is 0 or > MaxCode || pauseResume.Length is 0 or > MaxCode)
        {
            throw new ArgumentException($"A feature code has 1 to {MaxCode} digits.");
        }

        _startStop = startStop;
        _pauseResume = pauseResume;
    }

    /// <summary>Takes one digit; the feature whose code it completes, else <see cref="RecordingFeature.None"/>.</summary>
    public RecordingFeature Add(char digit)
    {
        if (_count == MaxCode)
        {
            _digits.AsSpan(1).CopyTo(_digits);
            _count--;
        }

        _digits[_count++] = digit;
        ReadOnlySpan<char> keyed = _digits.AsSpan(0, _count);
        var feature = keyed.EndsWith(_startStop, StringComparison.Ordinal) ? RecordingFeature.StartStop
            : keyed.EndsWith(_pauseResume, StringComparison.Ordinal) ? RecordingFeature.PauseResume
            : RecordingFeature.None;
        if (feature != RecordingFeature.None)
        {
            _count = 0;
        }

        return feature;
    }
}
