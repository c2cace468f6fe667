namespace HostedPbx.Switch.Sip.Syntax;

/// <summary>How message boundaries are found (RFC 3261 §18.3).</summary>
public enum SipFraming : byte
{
    /// <summary>TCP/TLS: Content-Length is mandatory and ends the message; what follows is the next message.</summary>
    Stream,

    /// <summary>UDP: the datagram is the message; without Content-Length the body runs to its end, extra octets are ignored.</summary>
    Datagram,
}
