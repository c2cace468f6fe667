using System.Globalization;

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
    public static async Task<ManagedMemory?> ReadAsync(Uri metrics, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            return Parse(await http.GetStringAsync(metrics, cancellationToken));
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>Sums the heap size over its generations (one sample per generation label) from a Prometheus text scrape.</summary>
    public static ManagedMemory? Parse(string scrape)
    {
        double heap = 0, committed = 0;
        bool sawHeap = false, sawCommitted = false;
        foreach (var line in scrape.AsSpan().EnumerateLines())
        {
            if (Value(line, HeapSize) is { } h)
            {
                heap += h;
                sawHeap = true;
            }
            else if (Value(line, Committed) is { } c)
            {
                committed = c;
                sawCommitted = true;
            }
        }

        return sawHeap && sawCommitted ? new ManagedMemory((long)heap, (long)committed) : null;
    }

    /// <summary>The sample's value when <paramref name="line"/> is a sample of <paramref name="name"/> (with or without labels).</summary>
    private static double? Value(ReadOnlySpan<char> line, string name)
    {
        if (!line.StartsWith(name, StringComparison.Ordinal) || line.Length == name.Length || line[name.Length] is not ('{' or ' '))
        {
            return null;
        }

        var rest = line[name.Length..];
        if (rest[0] == '{')
        {
            var close = rest.LastIndexOf('}');
            rest = close < 0 ? [] : rest[(close + 1)..];
        }

        rest = rest.Trim();
        var space = rest.IndexOf(' ');
        // A sample may end with a timestamp after the value.
        return double.TryParse(space < 0 ? rest : rest[..space], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
