namespace HostedPbx.Switch.Calls.Forwarding;

/// <summary>What a call does when its extension cannot take it (<see cref="CallForwarding.Decide"/>).</summary>
internal enum ForwardAction
{
    /// <summary>Nothing is set for this reason: the call goes on as without forwarding (rings on, or ends busy / 480).</summary>
    None,

    /// <summary>The call is offered to <see cref="ForwardDecision.Target"/>, another extension of the tenant.</summary>
    Forward,
}
