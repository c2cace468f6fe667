namespace HostedPbx.Switch.Calls.Forwarding;

/// <summary>The one answer to "the extension cannot take this call, for this reason: what now?".</summary>
internal readonly record struct ForwardDecision(ForwardAction Action, string? Target)
{
    public static ForwardDecision None => new(ForwardAction.None, null);

    public static ForwardDecision To(string target) => new(ForwardAction.Forward, target);
}
