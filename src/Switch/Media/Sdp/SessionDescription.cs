namespace HostedPbx.Switch.Media.Sdp;

/// <summary>A session description (RFC 8866 §5): the session-level lines and the media sections.</summary>
public sealed class SessionDescription
{
    public required SdpOrigin Origin { get; set; }

    public string SessionName { get; set; } = "-";

    public SdpConnection? Connection { get; set; }

    public List<string> Bandwidths { get; init; } = [];

    /// <summary>The "t=" value; "0 0" for the unbounded sessions of SIP (RFC 3264 §5).</summary>
    public string Timing { get; set; } = "0 0";

    public List<SdpAttribute> Attributes { get; init; } = [];

    public List<MediaDescription> Media { get; init; } = [];

    /// <summary>Session-level lines of other types (i=, u=, e=, p=, r=, z=, k=) kept as "x=value".</summary>
    public List<string> OtherLines { get; init; } = [];

    /// <summary>The connection that applies to a media section: its own c= or else the session's (RFC 8866 §5.7).</summary>
    public SdpConnection? ConnectionOf(MediaDescription media) => media.Connection ?? Connection;

    /// <summary>The direction of a media section, falling back to the session level, then sendrecv (RFC 8866 §6.7).</summary>
    public MediaDirection DirectionOf(MediaDescription media)
    {
        if (media.Direction is { } direction)
        {
            return direction;
        }

        foreach (var attribute in Attributes)
        {
            if (attribute.Value is null && MediaDescription.TryParseDirection(attribute.Name, out var sessionDirection))
            {
                return sessionDirection;
            }
        }

        return MediaDirection.SendRecv;
    }
}
