namespace HostedPbx.Switch.Calls.Voicemail;

/// <summary>A registered line of a handset that does not subscribe: told of its mailbox over <see cref="ConnectionId"/>, at <see cref="ContactUri"/>.</summary>
internal sealed record UnsolicitedLine(long ConnectionId, Guid ExtensionId, string Number, string ContactUri);
