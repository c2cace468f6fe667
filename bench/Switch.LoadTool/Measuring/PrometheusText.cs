using System.Globalization;

namespace HostedPbx.Switch.LoadTool.Measuring;

/// <summary>Reads samples out of the switch's Prometheus endpoint (the text exposition format).</summary>
internal static class PrometheusText
{
    /// <summary>The scrape, or null when the endpoint does not answer.</summary>
    public static async Task<string?> ScrapeAsync(Uri metrics, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            return await http.GetStringAsync(metrics, cancellationToken);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>
    /// The sum over the samples of <paramref name="name"/> whose labels contain <paramref name="label"/> (for example
    /// <c>gc_heap_generation="gen0"</c>; null takes every sample); null when the scrape has no such sample.
    /// </summary>
    public static double? Sum(string scrape, string name, string? label = null)
    {
        double sum = 0;
        var seen = false;
        foreach (var line in scrape.AsSpan().EnumerateLines())
        {
            if (Value(line, name, label) is { } value)
            {
                sum += value;
                seen = true;
            }
        }

        return seen ? sum : null;
    }

    /// <summary>The sample's value when <paramref name="line"/> is a sample of <paramref name="name"/> carrying <paramref name="label"/>.</summary>
    private static double? Value(ReadOnlySpan<char> line, string name, string? label)
    {
        if (!line.StartsWith(name, StringComparison.Ordinal) || line.Length == name.Length || line[name.Length] is not ('{' or ' '))
        {
            return null;
        }

        var rest = line[name.Length..];
        var labels = ReadOnlySpan<char>.Empty;
        if (rest[0] == '{')
        {
            var close = rest.LastIndexOf('}');
            labels = close < 0 ? [] : rest[1..close];
            rest = close < 0 ? [] : rest[(close + 1)..];
        }

        if (label is not null && !labels.Contains(label, StringComparison.Ordinal))
        {
            return null;
        }

        rest = rest.Trim();
        var space = rest.IndexOf(' ');
        // A sample may end with a timestamp after the value.
        return double.TryParse(space < 0 ? rest : rest[..space], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
