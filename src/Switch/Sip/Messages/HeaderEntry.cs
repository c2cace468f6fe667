using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Sip.Messages;

/// <summary>One header line of a <see cref="SipMessage"/>: its id and where its name and value sit in the message buffer.</summary>
public readonly record struct HeaderEntry(KnownHeader Id, Range Name, Range Value);
