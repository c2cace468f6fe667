namespace HostedPbx.Switch.Calls;

/// <summary>
/// Timers, addresses and limits of the B2BUA; <see cref="SentBy"/> is the switch's SIP host:port for Via and Contact.
/// The tenant's own concurrent-call limit comes from the directory, per tenant.
/// </summary>
internal sealed record CallLimits(string SentBy, TimeSpan NoAnswer, TimeSpan MediaTimeout, TimeSpan MediaCheck, int MaxPendingInvitesPerDevice = 10);
