using System.Net;

namespace HostedPbx.Switch.Calls.Voicemail;

/// <summary>Who dials the access number: the caller's extension, and its handset as the audit log names it.</summary>
internal sealed record MailboxCaller(string Number, string Mac, Guid DeviceId, IPAddress Source);
