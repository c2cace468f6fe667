using HostedPbx.Switch.Sip.Messages;

namespace HostedPbx.Switch.Sip.Dialogs;

/// <summary>All dialogs of the switch by <see cref="DialogKey"/>. Thread-safe.</summary>
public sealed class DialogTable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<DialogKey, Dialog> _dialogs = [];

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

    public bool TryAdd(Dialog dialog)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        lock (_gate)
        {
            return _dialogs.TryAdd(dialog.Key, dialog);
        }
    }

    public bool TryFind(DialogKey key, out Dialog? dialog)
    {
        lock (_gate)
        {
            return _dialogs.TryGetValue(key, out dialog);
        }
    }

    /// <summary>The dialog a received request belongs to (RFC 3261 §12.2.2): To tag is ours, From tag is theirs.</summary>
    public bool TryFindForRequest(SipRequest request, out Dialog? dialog) => TryFind(DialogKey.ForIncomingRequest(request), out dialog);

    /// <summary>The dialog a received response belongs to: From tag is ours, To tag is theirs.</summary>
    public bool TryFindForResponse(SipResponse response, out Dialog? dialog) => TryFind(DialogKey.ForIncomingResponse(response), out dialog);

    public bool Remove(DialogKey key)
    {
        lock (_gate)
        {
            return _dialogs.Remove(key);
        }
    }
}
