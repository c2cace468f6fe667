using System.Diagnostics;

namespace HostedPbx.Switch.Sip.Transactions;

/// <summary>Timer values from RFC 3261 §17 and Table 4 of Appendix A; T1, T2, T4 and D can be configured.</summary>
public sealed class SipTimers
{
    /// <summary>RTT estimate, 500 ms by default.</summary>
    public TimeSpan T1 { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Maximum retransmit interval for non-INVITE requests and INVITE responses, 4 s by default.</summary>
    public TimeSpan T2 { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>Maximum time a message stays in the network, 5 s by default.</summary>
    public TimeSpan T4 { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Timer D on unreliable transports: at least 32 s (RFC 3261 §17.1.1.2).</summary>
    public TimeSpan TimerD { get; init; } = TimeSpan.FromSeconds(32);

    /// <summary>64*T1: timers B, F, H and (unreliable) J.</summary>
    public TimeSpan TransactionTimeout => T1 * 64;

    /// <summary>
    /// The first delay of a timer. On a reliable transport A, E and G are never started, and D, I, J and K are zero
    /// (RFC 3261 §17.1.1.2, §17.1.2.2, §17.2.1, §17.2.2): the caller moves on at once instead of scheduling.
    /// </summary>
    public TimeSpan GetInitialDelay(SipTimer timer, bool reliableTransport) => timer switch
    {
        SipTimer.A or SipTimer.E or SipTimer.G => reliableTransport ? Timeout.InfiniteTimeSpan : T1,
        SipTimer.B or SipTimer.F or SipTimer.H => TransactionTimeout,
        SipTimer.D => reliableTransport ? TimeSpan.Zero : TimerD,
        SipTimer.I or SipTimer.K => reliableTransport ? TimeSpan.Zero : T4,
        SipTimer.J => reliableTransport ? TimeSpan.Zero : TransactionTimeout,
        _ => throw new UnreachableException(),
    };
}
