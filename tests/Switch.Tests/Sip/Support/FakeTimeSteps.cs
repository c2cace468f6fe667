using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Switch.Tests.Sip.Support;

internal static class FakeTimeSteps
{
    /// <summary>Advances in 250 ms steps so that timers re-armed from callbacks fire at their own times.</summary>
    public static void AdvanceInSteps(this FakeTimeProvider time, TimeSpan total)
    {
        var step = TimeSpan.FromMilliseconds(250);
        while (total > TimeSpan.Zero)
        {
            var next = total < step ? total : step;
            time.Advance(next);
            total -= next;
        }
    }
}
