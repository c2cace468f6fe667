namespace HostedPbx.Switch.Sip.Syntax;

public enum SipHostKind : byte
{
    HostName,
    IPv4,
    IPv6,
}
