namespace HostedPbx.Testing;

/// <summary>A fixed moment for tests that store times.</summary>
public static class TestClock
{
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
}
