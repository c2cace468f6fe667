namespace HostedPbx.Switch.LoadTool.Sip;

/// <summary>The parts of a final response the load tool's handsets keep: status, the dialog's remote tag and target, and the body.</summary>
internal sealed record SipReply(int StatusCode, string ToTag, string? Contact, byte[] Body);
