using HostedPbx.Data.Entities;

namespace HostedPbx.Switch.Calls.Voicemail;

/// <summary>A whole message of a mailbox as the phone menu plays it: where its sealed file is, its key and the SHA-256 its audio must match.</summary>
internal sealed record StoredMessage(Guid Id, VoicemailStatus Status, string StoragePath, byte[] WrappedDataKey, string AudioSha256);
