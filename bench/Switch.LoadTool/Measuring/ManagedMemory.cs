namespace HostedPbx.Switch.LoadTool.Measuring;

/// <summary>
/// The switch's managed heap after its last GC and the memory its GC holds committed, read from the .NET runtime's
/// meter on the switch's Prometheus endpoint: with RSS they split a handset's cost into managed and native parts.
/// </summary>
internal readonly record struct ManagedMemory(long HeapBytes, long CommittedBytes)
{
    private const string HeapSize = "dotnet_gc_last_collection_heap_size_bytes";
    private const string Committed = "dotnet_gc_last_collection_memory_committed_size_bytes";

    /// <summary>Null when the endpoint does not answer or does not carry the runtime's meter.</summary>
    public static async Task<ManagedMemory?> ReadAsync(Uri metrics, CancellationToken cancellationToken) =>
        await PrometheusText.ScrapeAsync(metrics, cancellationToken) is { } scrape ? Parse(scrape) : null;

    /// <summary>Sums the heap size over its generations (one sample per generation label) from a Prometheus text scrape.</summary>
    public static ManagedMemory? Parse(string scrape) =>
        PrometheusText.Sum(scrape, HeapSize) is { } heap && PrometheusText.Sum(scrape, Committed) is { } committed
            ? new ManagedMemory((long)heap, (long)committed)
            : null;
}
