namespace HostedPbx.Switch.Calls;

internal enum CallState
{
    Ringing,
    Answered,
    Ended,
}
