using System.Diagnostics.Metrics;
using Hangfire;
using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Web.Diagnostics;

/// <summary>
/// The portal's meter, "HostedPbx.Web" (issue 14 item 3): Hangfire's jobs by state, and the platform-wide facts the
/// alert rules watch that no single switch knows (recordings left unfinished, the platform CA's expiry). Read from the
/// database when Prometheus scrapes; counts only, by a bounded state label.
/// </summary>
internal sealed class WebMetrics : IDisposable
{
    public const string Name = "HostedPbx.Web";

    /// <summary>A recording still open this long after its call ended means the writer is behind (or lost it).</summary>
    public static readonly TimeSpan UnfinishedAfter = TimeSpan.FromMinutes(5);

    private readonly Meter _meter;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;

    public WebMetrics(IMeterFactory meters, IServiceProvider services, TimeProvider time)
    {
        _services = services;
        _time = time;
        _meter = meters.Create(Name);
        _meter.CreateObservableGauge("hostedpbx.web.jobs", ObserveJobs, "{job}", "Hangfire jobs by state.");
        _meter.CreateObservableGauge("hostedpbx.platform.recordings.unfinished", ObserveUnfinishedRecordings, "{recording}",
            "Recordings still being written more than five minutes after their call ended.");
        _meter.CreateObservableGauge("hostedpbx.platform.ca.expiry", ObserveCaExpiry, "s", "Seconds until the platform's CA certificate that expires first expires.");
    }

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> ObserveJobs()
    {
        var storage = _services.GetService<JobStorage>();
        if (storage is null)
        {
            return [];
        }

        var s = storage.GetMonitoringApi().GetStatistics();
        return
        [
            new(s.Enqueued, new KeyValuePair<string, object?>("state", "enqueued")),
            new(s.Scheduled, new KeyValuePair<string, object?>("state", "scheduled")),
            new(s.Processing, new KeyValuePair<string, object?>("state", "processing")),
            new(s.Failed, new KeyValuePair<string, object?>("state", "failed")),
            new(s.Succeeded, new KeyValuePair<string, object?>("state", "succeeded")),
        ];
    }

    private int ObserveUnfinishedRecordings()
    {
        using var db = Context();
        var before = _time.GetUtcNow() - UnfinishedAfter;
        return db.Recordings.AsNoTracking()
            .Count(r => r.Status == RecordingStatus.Recording && r.CallRecord != null && r.CallRecord.EndedAt != null && r.CallRecord.EndedAt < before);
    }

    private IEnumerable<Measurement<double>> ObserveCaExpiry()
    {
        using var db = Context();
        var first = db.TrustAnchors.AsNoTracking()
            .Where(a => a.Kind == TrustAnchorKind.PlatformRoot || a.Kind == TrustAnchorKind.PlatformDeviceIssuer)
            .OrderBy(a => a.NotAfter).Select(a => (DateTimeOffset?)a.NotAfter).FirstOrDefault();
        return first is { } notAfter ? [new Measurement<double>((notAfter - _time.GetUtcNow()).TotalSeconds)] : [];
    }

    private PbxDbContext Context()
    {
        var db = _services.GetRequiredService<IDbContextFactory<PbxDbContext>>().CreateDbContext();
        db.UseScope(DbScope.System);
        return db;
    }
}
