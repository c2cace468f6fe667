namespace HostedPbx.Switch.Calls.Voicemail;

/// <summary>
/// What the access number needs to know of a mailbox before its menu: whether it is on, its PIN's hash, until when it
/// is locked after wrong PINs, and whether its tenant lets a handset in without a PIN (the certificate binding already
/// proves the handset is the extension's own).
/// </summary>
internal sealed record MailboxAccess(bool Enabled, string? PinHash, DateTimeOffset? LockedUntil, bool Pinless);
