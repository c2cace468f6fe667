using System.Globalization;

namespace HostedPbx.Switch.Media.Sdp;

/// <summary>An "o=" line (RFC 8866 §5.2). The session id is kept as text: peers send numbers longer than 64 bits.</summary>
public sealed record SdpOrigin(string UserName, string SessionId, string SessionVersion, string NetworkType, string AddressType, string Address)
{
    public static SdpOrigin For(string address, ulong sessionId, ulong sessionVersion, string userName = "-")
    {
        var connection = SdpConnection.For(address);
        return new SdpOrigin(userName, sessionId.ToString(CultureInfo.InvariantCulture),
            sessionVersion.ToString(CultureInfo.InvariantCulture), connection.NetworkType, connection.AddressType, address);
    }

    public override string ToString() => $"{UserName} {SessionId} {SessionVersion} {NetworkType} {AddressType} {Address}";
}
