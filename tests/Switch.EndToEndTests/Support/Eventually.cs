namespace HostedPbx.Switch.EndToEndTests.Support;

/// <summary>Polls a condition against the outside world (database, files) within a bound; never an open-ended wait.</summary>
internal static class Eventually
{
    public static Task<T> GetAsync<T>(Func<Task<T?>> probe, TimeSpan limit, string what) => GetAsync(probe, limit, () => what);

    /// <summary>As above, with the description (logs, say) taken when giving up rather than when starting.</summary>
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, TimeSpan limit, Func<string> what)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (TimeProvider.System.GetElapsedTime(started) > limit)
            {
                throw new TimeoutException($"Gave up after {limit.TotalSeconds:0} s waiting for {what()}.");
            }

            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
    }
}
