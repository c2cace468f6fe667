namespace HostedPbx.Switch.Sip.Syntax;

/// <summary>Request methods the switch knows; others are <see cref="Unknown"/> and keep their raw token.</summary>
public enum SipMethod : byte
{
    Unknown,
    Invite,
    Ack,
    Bye,
    Cancel,
    Options,
    Register,
    Prack,
    Subscribe,
    Notify,
    Publish,
    Info,
    Refer,
    Message,
    Update,
}
