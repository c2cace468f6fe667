namespace HostedPbx.Web.Tests.Recordings;

/// <summary>A clock that says one instant: the day a retention pass runs.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
