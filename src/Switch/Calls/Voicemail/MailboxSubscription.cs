using HostedPbx.Switch.Sip.Dialogs;

namespace HostedPbx.Switch.Calls.Voicemail;

/// <summary>One handset's subscription to its own mailbox's message summary (RFC 3842), in the dialog its SUBSCRIBE made.</summary>
internal sealed class MailboxSubscription(Dialog dialog, long connectionId, Guid extensionId, string account)
{
    public Dialog Dialog { get; } = dialog;

    public long ConnectionId { get; } = connectionId;

    public Guid ExtensionId { get; } = extensionId;

    /// <summary>RFC 3842 §5.2 Message-Account: the mailbox's own URI.</summary>
    public string Account { get; } = account;

    public DateTimeOffset ExpiresAt { get; set; }

    public ITimer? Expiry { get; set; }

    /// <summary>Serializes NOTIFYs of this subscription (each takes the dialog's next CSeq).</summary>
    public Lock Gate { get; } = new();
}
