namespace HostedPbx.Switch.Calls.Voicemail;

/// <summary>Takes the caller's decoded audio (8 kHz 16-bit samples) from an application leg's receive loop; must not block it.</summary>
internal interface IAudioSink
{
    void Write(ReadOnlySpan<short> samples);
}
