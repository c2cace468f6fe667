using System.Diagnostics;
using HostedPbx.Switch.LoadTool.Measuring;
using HostedPbx.Switch.LoadTool.Media;

namespace HostedPbx.Switch.Tests.LoadTool;

public sealed class MeasuringTests
{
    [Fact]
    public void ParseCpu_CommandNameWithSpacesAndParentheses_ReadsUtimePlusStime()
    {
        // proc(5): field 2 is "(comm)" and may hold spaces and ")"; utime and stime are fields 14 and 15.
        const string stat = "4242 (dotnet (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 150 0 0 20 0 12 0 900 1000000 500 18446744073709551615";

        Assert.Equal(TimeSpan.FromSeconds(4), ProcessSample.ParseCpu(stat, 100));
        Assert.Equal(TimeSpan.FromSeconds(1.5), ProcessSample.ParseKernelCpu(stat, 100));
    }

    [Fact]
    public void Parse_SwitchScrape_SumsHeapGenerationsAndReadsCommitted()
    {
        // As the switch's /metrics serves the runtime's meter (a help line, labels, one sample per generation).
        const string scrape = """
            # HELP dotnet_gc_last_collection_heap_size_bytes The managed GC heap size (including fragmentation), as observed during the latest garbage collection.
            # TYPE dotnet_gc_last_collection_heap_size_bytes gauge
            dotnet_gc_last_collection_heap_size_bytes{otel_scope_name="System.Runtime",gc_heap_generation="gen0"} 0
            dotnet_gc_last_collection_heap_size_bytes{otel_scope_name="System.Runtime",gc_heap_generation="gen1"} 334408
            dotnet_gc_last_collection_heap_size_bytes{otel_scope_name="System.Runtime",gc_heap_generation="gen2"} 49492712
            dotnet_gc_last_collection_heap_size_bytes{otel_scope_name="System.Runtime",gc_heap_generation="loh"} 11235984
            dotnet_gc_last_collection_heap_size_bytes{otel_scope_name="System.Runtime",gc_heap_generation="poh"} 320080
            dotnet_gc_last_collection_heap_size_bytes_total 5
            dotnet_gc_last_collection_memory_committed_size_bytes{otel_scope_name="System.Runtime"} 62185472 1765000000000
            """;

        Assert.Equal(new ManagedMemory(334408 + 49492712 + 11235984 + 320080, 62185472), ManagedMemory.Parse(scrape));
        Assert.Null(ManagedMemory.Parse("hostedpbx_switch_registrations 2\n"));
    }

    [Fact]
    public void Parse_SwitchScrape_ReadsAllocatedBytesAndGen0CollectionsOnly()
    {
        const string scrape = """
            # TYPE dotnet_gc_heap_total_allocated_bytes_total counter
            dotnet_gc_heap_total_allocated_bytes_total{otel_scope_name="System.Runtime"} 912345678
            # TYPE dotnet_gc_collections_total counter
            dotnet_gc_collections_total{otel_scope_name="System.Runtime",gc_heap_generation="gen0"} 41
            dotnet_gc_collections_total{otel_scope_name="System.Runtime",gc_heap_generation="gen1"} 7
            dotnet_gc_collections_total{otel_scope_name="System.Runtime",gc_heap_generation="gen2"} 3
            """;

        var reading = ManagedAllocations.Parse(scrape);

        Assert.Equal(new ManagedAllocations(912345678, 41), reading);
        Assert.Equal(new ManagedAllocations(12345678, 1), reading!.Value - new ManagedAllocations(900000000, 40));
        Assert.Null(ManagedAllocations.Parse("dotnet_gc_heap_total_allocated_bytes_total 5\n"));
    }

    [Fact]
    public void PercentileMs_TransitTimes_UpperBucketEdgeByNearestRank_AndNothingOutsideRecording()
    {
        var histogram = new TransitHistogram();
        var microsecond = Stopwatch.Frequency / 1_000_000.0;
        histogram.Add((long)(5_000 * microsecond));
        histogram.Start();
        // 98 packets at 0.5 ms, one at 1.505 ms, one at 250 ms (beyond the last bucket).
        for (var i = 0; i < 98; i++)
        {
            histogram.Add((long)(500 * microsecond));
        }

        histogram.Add((long)(1_505 * microsecond));
        histogram.Add((long)(250_000 * microsecond));
        histogram.Stop();
        histogram.Add((long)(5_000 * microsecond));

        Assert.Equal(100, histogram.Count);
        Assert.Equal(0.51, histogram.PercentileMs(50), 6);
        Assert.Equal(1.51, histogram.PercentileMs(99), 6);
        Assert.Equal(double.PositiveInfinity, histogram.PercentileMs(100));
        Assert.True(double.IsNaN(new TransitHistogram().PercentileMs(99)));
    }

    [Fact]
    public void Of_NearestRank_MedianAndP95()
    {
        double[] values = [.. Enumerable.Range(1, 100).Select(i => (double)i).Reverse()];

        Assert.Equal(50, Percentiles.Of(values, 50));
        Assert.Equal(95, Percentiles.Of(values, 95));
        Assert.Equal(100, Percentiles.Of(values, 100));
        Assert.True(double.IsNaN(Percentiles.Of([], 50)));
    }

    [Fact]
    public void Ratio_ToneFrameThroughMuLaw_FindsItsFrequencyOnly()
    {
        var frame = MuLaw.ToneFrame();
        var samples = Enumerable.Range(0, 50).SelectMany(_ => frame).Select(b => (double)MuLaw.Decode(b)).ToArray();

        Assert.True(ToneCheck.Ratio(samples, 1000, 8000) > 0.95, "a 1 kHz tone is mostly 1 kHz");
        Assert.True(ToneCheck.Ratio(samples, 440, 8000) < 0.01, "and has next to nothing at 440 Hz");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    [InlineData(-1000)]
    [InlineData(16384)]
    [InlineData(-32768)]
    public void Decode_OfEncode_WithinTheStepOfItsSegment(short sample)
    {
        var back = MuLaw.Decode(MuLaw.Encode(sample));

        Assert.InRange(Math.Abs(back - sample), 0, Math.Max(8, Math.Abs((int)sample) / 16));
    }
}
