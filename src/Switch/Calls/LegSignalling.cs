using HostedPbx.Data.Entities;
using HostedPbx.Switch.Sip.Dialogs;
using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Sip.Transport;

namespace HostedPbx.Switch.Calls;

/// <summary>
/// What a leg needs to talk SIP: the tables its transactions and dialog live in, the timers, and the switch's own
/// host:port for Via and Contact.
/// </summary>
internal sealed record LegSignalling(
    TransactionTable Transactions,
    SipTimerScheduler Scheduler,
    SipTimers Timers,
    DialogTable<CallLeg> Dialogs,
    string SentBy,
    SignallingTransport Transport = SignallingTransport.Tls)
{
    public string Contact => $"<sip:switch@{SentBy};transport={SipRequests.UriTransport(Transport)}>";

    /// <summary>RFC 3261 §8.1.1.7: a fresh branch with the magic cookie for every new transaction; RFC 3581 rport.</summary>
    public string NewVia() => $"SIP/2.0/{SipRequests.ViaTransport(Transport)} {SentBy};branch={TransactionKey.CreateBranch()};rport";

    /// <summary>RFC 3261 §18.1.1: Via and Contact name the socket of the flow the leg talks over (a plain trunk's UDP socket or TCP listener).</summary>
    public LegSignalling On(SipConnection connection) =>
        connection.LocalSentBy is { } sentBy ? this with { SentBy = sentBy, Transport = connection.Transport } : this;
}
