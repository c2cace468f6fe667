namespace HostedPbx.Data.Calls;

/// <summary>
/// One hop of a call as the protection page draws it: from one stop to the next (a handset, our switch, a carrier, the
/// far party, a mailbox, the recorder, another switch node), whether it is encrypted, how, and who holds its keys.
/// <see cref="Branch"/> hops leave the switch to the side (the recorder) rather than continue the row.
/// </summary>
public sealed record ProtectionOverviewHop(string From, string To, bool Encrypted, string Protection, string KeysHeldBy, bool Branch = false)
{
    /// <summary>The hop in one sentence, for screen readers and the picture's own labels.</summary>
    public string Description => $"{From} to {To}: {Protection}; {KeysHeldBy}.";
}
