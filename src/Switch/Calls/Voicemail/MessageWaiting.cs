namespace HostedPbx.Switch.Calls.Voicemail;

/// <summary>A mailbox's counts for message waiting (RFC 3842 §5.2 "Voice-Message: new/old").</summary>
internal readonly record struct MessageWaiting(int New, int Old)
{
    public bool Waiting => New > 0;
}
