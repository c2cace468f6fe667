using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Sip.Dialogs;

/// <summary>
/// A dialog (RFC 3261 §12): what both ends remember between transactions. Keeps copies of the few values it needs
/// (the messages that created it may be disposed), and builds in-dialog requests (§12.2.1.1). Not thread-safe; the call
/// that owns it serializes access.
/// </summary>
public sealed partial class Dialog
{
    public enum State
    {
        Early,
        Confirmed,
        Terminated,
    }

    private readonly byte[] _callId;
    private readonly byte[] _localParty;
    private byte[] _remoteParty;
    private byte[] _remoteTarget;
    private byte[][] _routeSet;

    private Dialog(DialogKey key, bool isUac, byte[] callId, byte[] localParty, byte[] remoteParty, byte[] remoteTarget, byte[][] routeSet)
    {
        Key = key;
        IsUac = isUac;
        _callId = callId;
        _localParty = localParty;
        _remoteParty = remoteParty;
        _remoteTarget = remoteTarget;
        _routeSet = routeSet;
    }

    public DialogKey Key { get; }

    public bool IsUac { get; }

    public State CurrentState { get; private set; }

    /// <summary>The last CSeq number we used; 0 means empty (§12.1.1: the UAS's local sequence starts empty).</summary>
    public uint LocalSequence { get; private set; }

    /// <summary>The highest CSeq number received from the peer, or null when empty (§12.1.2).</summary>
    public uint? RemoteSequence { get; private set; }

    /// <summary>Where in-dialog requests go: the URI of the peer's Contact (§12.1.1, §12.1.2).</summary>
    public ReadOnlySpan<byte> RemoteTarget => _remoteTarget;

    public int RouteCount => _routeSet.Length;

    public ReadOnlySpan<byte> GetRoute(int index) => _routeSet[index];

    /// <summary>
    /// RFC 3261 §12.1.2: a dialog from a 1xx (with To tag) or 2xx to our request: route set = Record-Route reversed,
    /// remote target = Contact, local sequence = the request's CSeq. Early for 1xx, Confirmed for 2xx.
    /// </summary>
    public static bool TryCreateAsUac(SipRequest request, SipResponse response, out Dialog? dialog)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        dialog = null;
        if (response.StatusCode is < 101 or >= 300 || response.ToTag.Length == 0 || request.FromTag.Length == 0
            || !TryGetContactUri(response, out var target) || !request.TryGetCSeq(out var cseq)
            || !request.TryGetHeader(KnownHeader.From, out var from) || !response.TryGetHeader(KnownHeader.To, out var to))
        {
            return false;
        }

        var routes = CollectRoutes(response);
        routes.Reverse();
        dialog = new Dialog(DialogKey.ForIncomingResponse(response), isUac: true, ToArray(response, KnownHeader.CallId), from.ToArray(), to.ToArray(), target.ToArray(), [.. routes])
        {
            LocalSequence = cseq.Number,
            CurrentState = response.IsSuccess ? State.Confirmed : State.Early,
        };
        return true;
    }

    /// <summary>
    /// RFC 3261 §12.1.1: a dialog from our 1xx (with To tag) or 2xx to a received request: route set = Record-Route in
    /// order, remote target = the request's Contact, remote sequence = the request's CSeq, local sequence empty.
    /// </summary>
    public static bool TryCreateAsUas(SipRequest request, SipResponse response, out Dialog? dialog)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        dialog = null;
        if (response.StatusCode is < 101 or >= 300 || response.ToTag.Length == 0
            || !TryGetContactUri(request, out var target) || !request.TryGetCSeq(out var cseq)
            || !request.TryGetHeader(KnownHeader.From, out var from) || !response.TryGetHeader(KnownHeader.To, out var to))
        {
            return false;
        }

        var key = new DialogKey(request.CallId, response.ToTag, request.FromTag);
        dialog = new Dialog(key, isUac: false, ToArray(request, KnownHeader.CallId), to.ToArray(), from.ToArray(), target.ToArray(), [.. CollectRoutes(request)])
        {
            RemoteSequence = cseq.Number,
            CurrentState = response.IsSuccess ? State.Confirmed : State.Early,
        };
        return true;
    }

    /// <summary>
    /// A response to a request we sent in this dialog. A 2xx confirms an early UAC dialog and recomputes its route set and
    /// target (§13.2.2.4); a failure ends an early dialog; 408/481 end a confirmed one (§12.2.1.2).
    /// </summary>
    public void OnResponse(SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
#pragma warning disable CS8524 // State is private to this class and never holds unnamed values; CS8509 still checks every named one.
        CurrentState = (CurrentState, response.StatusCode) switch
        {
            (State.Early, >= 200 and < 300) when IsUac => Confirm(response),
            (State.Early, >= 300) => State.Terminated,

            // RFC 3261 §12.2.1.2: 481 or 408 to a request in the dialog ends it.
            (State.Confirmed, 408 or 481) => State.Terminated,

            // RFC 3261 §12.2.1.2: a 2xx to a target refresh request carries the new remote target.
            (State.Early or State.Confirmed, >= 200 and < 300) => RefreshTarget(response),
            (State.Early or State.Confirmed, _) => CurrentState,
            (State.Terminated, _) => State.Terminated,
        };
#pragma warning restore CS8524
    }

    /// <summary>
    /// Checks a request received in this dialog (§12.2.2): a CSeq lower than the last one is refused (answer 500);
    /// a target refresh (re-INVITE, UPDATE) takes the new Contact as remote target.
    /// </summary>
    public bool TryAcceptRequest(SipRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (CurrentState == State.Terminated || !request.TryGetCSeq(out var cseq))
        {
            return false;
        }

        // ACK and CANCEL reuse the CSeq number of the request they belong to.
        if (request.Method is not (SipMethod.Ack or SipMethod.Cancel))
        {
            if (RemoteSequence is { } last && cseq.Number <= last)
            {
                return false;
            }

            RemoteSequence = cseq.Number;
        }

        if (request.Method is SipMethod.Invite or SipMethod.Update)
        {
            RefreshTarget(request);
        }

        return true;
    }

    public void Terminate() => CurrentState = State.Terminated;

    private State Confirm(SipResponse response)
    {
        var routes = CollectRoutes(response);
        routes.Reverse();
        _routeSet = [.. routes];
        if (response.TryGetHeader(KnownHeader.To, out var to))
        {
            _remoteParty = to.ToArray();
        }

        RefreshTarget(response);
        return State.Confirmed;
    }

    private State RefreshTarget(SipMessage message)
    {
        if (TryGetContactUri(message, out var target))
        {
            _remoteTarget = target.ToArray();
        }

        return CurrentState;
    }

    private static bool TryGetContactUri(SipMessage message, out ReadOnlySpan<byte> uri)
    {
        foreach (var element in message.GetHeaderElements(KnownHeader.Contact))
        {
            if (NameAddress.TryParse(element, out var contact))
            {
                uri = contact.Uri;
                return true;
            }

            break;
        }

        uri = default;
        return false;
    }

    private static List<byte[]> CollectRoutes(SipMessage message)
    {
        var routes = new List<byte[]>();
        foreach (var element in message.GetHeaderElements(KnownHeader.RecordRoute))
        {
            routes.Add(element.ToArray());
        }

        return routes;
    }

    private static byte[] ToArray(SipMessage message, KnownHeader header) =>
        message.TryGetHeader(header, out var value) ? value.ToArray() : [];
}
