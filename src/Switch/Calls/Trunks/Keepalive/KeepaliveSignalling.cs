using HostedPbx.Switch.Sip.Transactions;

namespace HostedPbx.Switch.Calls.Trunks.Keepalive;

/// <summary>What an OPTIONS probe needs of the SIP core: the transaction table its answer is matched in, the timers, and our sent-by.</summary>
internal sealed record KeepaliveSignalling(TransactionTable Transactions, SipTimerScheduler Scheduler, SipTimers Timers, string SentBy);
