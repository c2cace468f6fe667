namespace HostedPbx.Switch.Sip.Transactions;

/// <summary>Something a <see cref="SipTimerScheduler"/> calls back when one of its timers is due.</summary>
public interface ISipTimerTarget
{
    void OnTimer(SipTimer timer);
}
