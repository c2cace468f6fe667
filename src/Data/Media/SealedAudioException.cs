namespace HostedPbx.Data.Media;

/// <summary>
/// A sealed audio file that is not one, was opened with the wrong key, or has a segment that fails authentication
/// (altered or damaged). Such audio is never served as if it were good.
/// </summary>
public sealed class SealedAudioException : IOException
{
    public SealedAudioException(string message)
        : base(message)
    {
    }

    public SealedAudioException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
