namespace HostedPbx.Web.Features.Home;

/// <summary>
/// Calls started in each hour of the last day, oldest first, and the bars of a small inline SVG chart of them
/// (no chart library: 24 rectangles). A pure function of the start times, so it is tested without a browser.
/// </summary>
public sealed record CallsByHour(DateTimeOffset From, IReadOnlyList<int> Counts)
{
    public const int Hours = 24;
    public const int Width = 480;
    public const int Height = 120;

    public int Total => Counts.Sum();

    public int Peak => Counts.Count == 0 ? 0 : Counts.Max();

    /// <summary>Buckets <paramref name="starts"/> into the 24 whole hours that end with the current one.</summary>
    public static CallsByHour Of(IEnumerable<DateTimeOffset> starts, DateTimeOffset now)
    {
        var thisHour = new DateTimeOffset(now.UtcDateTime.Date.AddHours(now.UtcDateTime.Hour), TimeSpan.Zero);
        var from = thisHour.AddHours(-(Hours - 1));
        var counts = new int[Hours];
        foreach (var start in starts)
        {
            var hour = (int)Math.Floor((start - from).TotalHours);
            if (hour is >= 0 and < Hours)
            {
                counts[hour]++;
            }
        }

        return new CallsByHour(from, counts);
    }

    /// <summary>One bar per hour, scaled so the busiest hour fills the height; an empty hour has no height.</summary>
    public IEnumerable<Bar> Bars()
    {
        var slot = (double)Width / Hours;
        for (var i = 0; i < Counts.Count; i++)
        {
            var height = Peak == 0 ? 0 : Math.Round((double)Counts[i] / Peak * Height, 1);
            yield return new Bar(Math.Round(i * slot + 1, 1), Math.Round(Height - height, 1), Math.Round(slot - 2, 1), height, Counts[i], From.AddHours(i));
        }
    }

    public sealed record Bar(double X, double Y, double Width, double Height, int Calls, DateTimeOffset Hour);
}
