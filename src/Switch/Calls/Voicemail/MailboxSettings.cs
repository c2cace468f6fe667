namespace HostedPbx.Switch.Calls.Voicemail;

/// <summary>What a deposit needs to know before the greeting: the tenant's limits, and whether the mailbox has room.</summary>
internal sealed record MailboxSettings(TimeSpan MaxMessage, bool IsFull, short[]? Greeting);
