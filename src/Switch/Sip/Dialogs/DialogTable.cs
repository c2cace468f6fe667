using HostedPbx.Switch.Sip.Messages;

namespace HostedPbx.Switch.Sip.Dialogs;

/// <summary>
/// All dialogs of the switch by <see cref="DialogKey"/>, each with its usage (RFC 5057 §2: what the dialog is used for,
/// here the call leg that owns it), so a request found by Call-ID and both tags reaches its owner. Thread-safe.
/// </summary>
public sealed class DialogTable<TUsage>
    where TUsage : class
{
    private readonly Lock _gate = new();
    private readonly Dictionary<DialogKey, (Dialog Dialog, TUsage Usage)> _dialogs = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _dialogs.Count;
            }
        }
    }

    public bool TryAdd(Dialog dialog, TUsage usage)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        ArgumentNullException.ThrowIfNull(usage);
        lock (_gate)
        {
            return _dialogs.TryAdd(dialog.Key, (dialog, usage));
        }
    }

    public bool TryFind(DialogKey key, out Dialog? dialog, out TUsage? usage)
    {
        lock (_gate)
        {
            var found = _dialogs.TryGetValue(key, out var entry);
            (dialog, usage) = found ? (entry.Dialog, entry.Usage) : (null, null);
            return found;
        }
    }

    /// <summary>The dialog a received request belongs to (RFC 3261 §12.2.2): To tag is ours, From tag is theirs.</summary>
    public bool TryFindForRequest(SipRequest request, out Dialog? dialog, out TUsage? usage) =>
        TryFind(DialogKey.ForIncomingRequest(request), out dialog, out usage);

    /// <summary>The dialog a received response belongs to: From tag is ours, To tag is theirs.</summary>
    public bool TryFindForResponse(SipResponse response, out Dialog? dialog, out TUsage? usage) =>
        TryFind(DialogKey.ForIncomingResponse(response), out dialog, out usage);

    /// <summary>Removes the dialog only if it is still the one given (a newer dialog with the same key stays).</summary>
    public bool Remove(Dialog dialog)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        lock (_gate)
        {
            return _dialogs.TryGetValue(dialog.Key, out var entry) && ReferenceEquals(entry.Dialog, dialog) && _dialogs.Remove(dialog.Key);
        }
    }
}
