using System.Diagnostics.Metrics;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace HostedPbx.Switch.Tests.Diagnostics;

/// <summary>What Prometheus will read: a call counted once, when its final record is written, and bounded labels only.</summary>
public sealed class SwitchMetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly List<(string Name, long Value, Dictionary<string, object?> Tags)> _measured = [];

    public SwitchMetricsTests()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        Metrics = new SwitchMetrics(factory);
        // Only this test's meter: others in the process (parallel tests) have their own factory.
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == factory)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (_measured)
            {
                _measured.Add((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
            }
        });
        _listener.Start();
    }

    private SwitchMetrics Metrics { get; }

    [Fact]
    public void OnRecord_InProgressThenAnswered_CountsOneCallByOutcome()
    {
        var record = new CallRecord { SipCallId = "c1", FromParty = "201", ToParty = "202", Outcome = CallOutcome.InProgress, StartedAt = DateTimeOffset.UnixEpoch };

        Metrics.OnRecord(record);
        Metrics.OnRecord(record);
        record.Outcome = CallOutcome.Answered;
        record.EndedAt = DateTimeOffset.UnixEpoch.AddMinutes(1);
        Metrics.OnRecord(record);

        var call = Assert.Single(_measured, m => m.Name == "hostedpbx.switch.calls");
        Assert.Equal(1, call.Value);
        Assert.Equal(new Dictionary<string, object?> { ["outcome"] = "answered" }, call.Tags);
    }

    [Theory]
    [InlineData("more than 64 TLS handshakes in progress from this address", "too_many_handshakes")]
    [InlineData("handshake not finished within 10 s", "timeout")]
    [InlineData("handshake failed: IOException", "tls_error")]
    [InlineData("certificate of 0015651a2b3c is revoked", "identity")]
    public void OnRefused_Handshake_CountedByBoundedReasonNeverTheText(string reason, string label)
    {
        Metrics.OnRefused("sip.tls.handshake", reason);

        var failure = Assert.Single(_measured, m => m.Name == "hostedpbx.switch.tls.handshake_failures");
        Assert.Equal(label, failure.Tags["reason"]);
        var refusal = Assert.Single(_measured, m => m.Name == "hostedpbx.switch.refusals");
        Assert.Equal("sip.tls.handshake", refusal.Tags["action"]);
        Assert.DoesNotContain(_measured.SelectMany(m => m.Tags.Values), v => v is string s && s.Contains("0015651a2b3c", StringComparison.Ordinal));
    }

    [Fact]
    public void ApplicationDrops_CountedByReason_ReadOnTheNextScrape()
    {
        Metrics.ApplicationDrops.OnOversized();
        Metrics.ApplicationDrops.OnUnnegotiated();
        Metrics.ApplicationDrops.OnUnnegotiated();
        Metrics.ApplicationDrops.OnDigitOverflow();

        _listener.RecordObservableInstruments();

        var drops = _measured.Where(m => m.Name == "hostedpbx.switch.application.drops").ToDictionary(m => (string)m.Tags["reason"]!, m => m.Value);
        Assert.Equal(new Dictionary<string, long> { ["oversized"] = 1, ["srtp_auth"] = 0, ["unnegotiated_payload"] = 2, ["digit_overflow"] = 1 }, drops);
    }

    public void Dispose()
    {
        _listener.Dispose();
        Metrics.Dispose();
        _services.Dispose();
    }
}
