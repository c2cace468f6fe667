using HostedPbx.Switch.LoadTool.Media;
using HostedPbx.Switch.LoadTool.Sip;

namespace HostedPbx.Switch.LoadTool;

/// <summary>One call of the load: caller and callee handsets, the media end of each, and the dialog the caller holds.</summary>
internal sealed class LoadCall(SipHandset caller, SipHandset callee, MediaEndpoint callerMedia)
{
    public SipHandset Caller { get; } = caller;

    public SipHandset Callee { get; } = callee;

    public MediaEndpoint CallerMedia { get; } = callerMedia;

    /// <summary>Set by the callee's INVITE handler when it answers.</summary>
    public MediaEndpoint? CalleeMedia { get; set; }

    public string CallId { get; } = $"{Guid.NewGuid():N}@load";

    public string FromTag { get; } = SipHandset.NewTag();

    public string? ToTag { get; set; }

    public string? RemoteTarget { get; set; }

    public int Status { get; set; }

    public double SetupMs { get; set; }

    public bool Established => Status == 200 && CalleeMedia is not null && CallerMedia.IsReady && CalleeMedia.IsReady;
}
