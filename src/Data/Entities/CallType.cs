namespace HostedPbx.Data.Entities;

/// <summary>The kind of call, which selects the security statement.</summary>
public enum CallType
{
    ExtensionToExtension,
    Voicemail,
    OutboundPstn,
    InboundPstn,
}
