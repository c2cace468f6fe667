using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Sip.Transport;

namespace HostedPbx.Switch.Calls;

/// <summary>
/// One B2BUA call: the caller's dialog (we are its UAS) bridged to one of the callee forks (we are their UAC), with
/// media relayed and re-keyed between them. All state changes happen under <see cref="_gate"/>; messages are sent after.
/// </summary>
internal sealed partial class Call
{
    private readonly Lock _gate = new();
    private readonly List<CalleeFork> _forks = [];
    private ITimer? _noAnswer;
    private ITimer? _mediaWatch;
    private uint _callerCSeq;
    private bool _ringingSent;

    public Call(
        CallController controller, SipConnection caller, ServerInviteTransaction transaction, string callerUser, string calleeUser,
        NegotiationResult callerAnswer, SdesOffer calleeOffer, RelaySession media)
    {
        Controller = controller;
        Caller = caller;
        CallerTransaction = transaction;
        var invite = transaction.Request;
        CallerCallId = invite.CallId;
        CallerUser = callerUser;
        CalleeUser = calleeUser;
        invite.TryGetHeader(Sip.Syntax.KnownHeader.From, out var from);
        invite.TryGetHeader(Sip.Syntax.KnownHeader.To, out var to);
        CallerFrom = System.Text.Encoding.UTF8.GetString(from);
        CallerTo = System.Text.Encoding.UTF8.GetString(to);
        CallerTarget = ContactUri(invite) ?? System.Text.Encoding.UTF8.GetString(invite.RequestUri);
        CallerAnswer = callerAnswer;
        CalleeOffer = calleeOffer;
        Media = media;
        StartedAt = controller.Time.GetUtcNow();
    }

    public Guid Id { get; } = Guid.CreateVersion7();

    public CallController Controller { get; }

    public SipConnection Caller { get; }

    public ServerInviteTransaction CallerTransaction { get; }

    public string CallerCallId { get; }

    public string CallerUser { get; }

    public string CalleeUser { get; }

    /// <summary>The caller's From (with its tag) and To (without ours), as on its INVITE.</summary>
    public string CallerFrom { get; }

    public string CallerTo { get; }

    public string CallerTarget { get; private set; }

    public string LocalTag { get; } = SipRequests.NewTag();

    public NegotiationResult CallerAnswer { get; private set; }

    public SdesOffer CalleeOffer { get; }

    public NegotiationResult? CalleeAnswer { get; private set; }

    public RelaySession Media { get; }

    public CallState State { get; private set; } = CallState.Ringing;

    public CalleeFork? Answered { get; private set; }

    public DateTimeOffset StartedAt { get; }

    public DateTimeOffset? AnsweredAt { get; private set; }

    public IReadOnlyList<CalleeFork> Forks => _forks;

    internal static string? ContactUri(SipMessage message)
    {
        foreach (var element in message.GetHeaderElements(Sip.Syntax.KnownHeader.Contact))
        {
            return Sip.Syntax.NameAddress.TryParse(element, out var contact) ? System.Text.Encoding.UTF8.GetString(contact.Uri) : null;
        }

        return null;
    }

    private IEnumerable<(string, string)> ContactHeader() => [("Contact", $"<sip:switch@{Controller.Limits.SentBy};transport=tls>")];
}
