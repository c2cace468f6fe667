namespace HostedPbx.Switch.Media.Sdp;

/// <summary>The direction attributes of RFC 8866 §6.7.</summary>
public enum MediaDirection
{
    SendRecv,
    SendOnly,
    RecvOnly,
    Inactive,
}
