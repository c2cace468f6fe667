namespace HostedPbx.Switch.Sip.Transactions;

/// <summary>One scheduled timer; <see cref="Cancel"/> stops it from firing.</summary>
public sealed class SipTimerRegistration
{
    internal SipTimerRegistration(ISipTimerTarget target, SipTimer timer, long dueTicks)
    {
        Target = target;
        Timer = timer;
        DueTicks = dueTicks;
    }

    internal ISipTimerTarget Target { get; }

    public SipTimer Timer { get; }

    internal long DueTicks { get; }

    public bool IsCancelled { get; private set; }

    public void Cancel() => IsCancelled = true;
}
