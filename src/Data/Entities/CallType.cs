namespace HostedPbx.Data.Entities;

/// <summary>The kind of call, which selects the security statement.</summary>
public enum CallType
{
    ExtensionToExtension,
    Voicemail,
    OutboundPstn,
    InboundPstn,

    /// <summary>Extension to extension, the callee registered on another switch node (issue 14).</summary>
    AcrossNodes,
}
