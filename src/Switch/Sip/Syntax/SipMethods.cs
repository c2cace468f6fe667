namespace HostedPbx.Switch.Sip.Syntax;

/// <summary>Method names as bytes and cached strings. RFC 3261 §7.1: the method name is case-sensitive.</summary>
public static class SipMethods
{
    public static SipMethod Parse(ReadOnlySpan<byte> token)
    {
        foreach (var method in s_all)
        {
            if (token.SequenceEqual(GetName(method)))
            {
                return method;
            }
        }

        return SipMethod.Unknown;
    }

    public static ReadOnlySpan<byte> GetName(SipMethod method) => method switch
    {
        SipMethod.Invite => "INVITE"u8,
        SipMethod.Ack => "ACK"u8,
        SipMethod.Bye => "BYE"u8,
        SipMethod.Cancel => "CANCEL"u8,
        SipMethod.Options => "OPTIONS"u8,
        SipMethod.Register => "REGISTER"u8,
        SipMethod.Prack => "PRACK"u8,
        SipMethod.Subscribe => "SUBSCRIBE"u8,
        SipMethod.Notify => "NOTIFY"u8,
        SipMethod.Publish => "PUBLISH"u8,
        SipMethod.Info => "INFO"u8,
        SipMethod.Refer => "REFER"u8,
        SipMethod.Message => "MESSAGE"u8,
        SipMethod.Update => "UPDATE"u8,
        SipMethod.Unknown => [],
        _ => [],
    };

    /// <summary>A cached string for a known method (no allocation), or a new string for an extension method.</summary>
    public static string ToString(SipMethod method, ReadOnlySpan<byte> token) => method switch
    {
        SipMethod.Invite => "INVITE",
        SipMethod.Ack => "ACK",
        SipMethod.Bye => "BYE",
        SipMethod.Cancel => "CANCEL",
        SipMethod.Options => "OPTIONS",
        SipMethod.Register => "REGISTER",
        SipMethod.Prack => "PRACK",
        SipMethod.Subscribe => "SUBSCRIBE",
        SipMethod.Notify => "NOTIFY",
        SipMethod.Publish => "PUBLISH",
        SipMethod.Info => "INFO",
        SipMethod.Refer => "REFER",
        SipMethod.Message => "MESSAGE",
        SipMethod.Update => "UPDATE",
        SipMethod.Unknown => System.Text.Encoding.UTF8.GetString(token),
        _ => System.Text.Encoding.UTF8.GetString(token),
    };

    private static readonly SipMethod[] s_all = Enum.GetValues<SipMethod>()[1..];
}
