namespace HostedPbx.Switch.Media.Sdp;

/// <summary>A "c=" line (RFC 8866 §5.7): network type, address type and unicast address.</summary>
public sealed record SdpConnection(string NetworkType, string AddressType, string Address)
{
    public static SdpConnection For(string address) => new("IN", address.Contains(':', StringComparison.Ordinal) ? "IP6" : "IP4", address);

    public override string ToString() => $"{NetworkType} {AddressType} {Address}";
}
