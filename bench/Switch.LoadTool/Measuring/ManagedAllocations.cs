namespace HostedPbx.Switch.LoadTool.Measuring;

/// <summary>
/// Bytes the switch's whole process has allocated on its managed heap since it started, and its gen-0 collections,
/// read from the .NET runtime's meter on its Prometheus endpoint; two readings bound a window.
/// </summary>
internal readonly record struct ManagedAllocations(long AllocatedBytes, long Gen0Collections)
{
    private const string Allocated = "dotnet_gc_heap_total_allocated_bytes_total";
    private const string Collections = "dotnet_gc_collections_total";

    /// <summary>Null when the endpoint does not answer or does not carry the runtime's meter.</summary>
    public static async Task<ManagedAllocations?> ReadAsync(Uri metrics, CancellationToken cancellationToken) =>
        await PrometheusText.ScrapeAsync(metrics, cancellationToken) is { } scrape ? Parse(scrape) : null;

    /// <summary>The two counters from a Prometheus text scrape (the gen-0 sample of the collections counter).</summary>
    public static ManagedAllocations? Parse(string scrape) =>
        PrometheusText.Sum(scrape, Allocated) is { } allocated && PrometheusText.Sum(scrape, Collections, "gc_heap_generation=\"gen0\"") is { } gen0
            ? new ManagedAllocations((long)allocated, (long)gen0)
            : null;

    public static ManagedAllocations operator -(ManagedAllocations end, ManagedAllocations start) =>
        new(end.AllocatedBytes - start.AllocatedBytes, end.Gen0Collections - start.Gen0Collections);
}
