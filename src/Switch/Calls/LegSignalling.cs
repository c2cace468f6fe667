using HostedPbx.Switch.Sip.Dialogs;
using HostedPbx.Switch.Sip.Transactions;

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
    string SentBy)
{
    public string Contact => $"<sip:switch@{SentBy};transport=tls>";

    /// <summary>RFC 3261 §8.1.1.7: a fresh branch with the magic cookie for every new transaction; RFC 3581 rport.</summary>
    public string NewVia() => $"SIP/2.0/TLS {SentBy};branch={TransactionKey.CreateBranch()};rport";
}
