namespace HostedPbx.Switch.Calls.Voicemail;

/// <summary>Why a deposit ended: the caller hung up, or the mailbox ends the call (#, the longest message, a full mailbox, a disk that filled up).</summary>
internal enum MailboxEnding
{
    CallerHungUp,
    Hash,
    MaxLength,
    Full,
    StorageFull,
}
