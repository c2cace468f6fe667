namespace HostedPbx.Switch.Calls.Forwarding;

/// <summary>What asking <see cref="CallForwarding"/> for the next target of a ringing call came to.</summary>
internal enum ForwardResult
{
    /// <summary>The target has handsets to ring; the call rings them now.</summary>
    Forwarded,

    /// <summary>The target is not an extension of the tenant, or none of its handsets is registered: nothing changes.</summary>
    Nowhere,

    /// <summary>The call has been forwarded too often (a loop such as A to B to A): it ends with 482.</summary>
    Loop,
}
