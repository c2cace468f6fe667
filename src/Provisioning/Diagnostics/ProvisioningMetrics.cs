using System.Diagnostics.Metrics;

namespace HostedPbx.Provisioning.Diagnostics;

/// <summary>
/// The provisioning part's meter, "HostedPbx.Provisioning" (issue 14 item 3): handset fetches served and refused.
/// The API's requests and latency come from ASP.NET Core's own meter (http.server.request.duration, by route template).
/// </summary>
internal sealed class ProvisioningMetrics : IDisposable
{
    public const string Name = "HostedPbx.Provisioning";

    private readonly Meter _meter;
    private readonly Counter<long> _fetches;

    public ProvisioningMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(Name);
        _fetches = _meter.CreateCounter<long>("hostedpbx.provisioning.fetches", "{fetch}", "Handset provisioning fetches, by result (served, refused, not_found).");
    }

    public void Fetched(string result) => _fetches.Add(1, new KeyValuePair<string, object?>("result", result));

    public void Dispose() => _meter.Dispose();
}
