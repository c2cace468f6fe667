using System.ComponentModel.DataAnnotations;

namespace HostedPbx.Data.Observability;

/// <summary>Where a part's metrics may be scraped from, and where its traces go (section "Telemetry").</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>The scrape path, served on the part's own HTTP port(s).</summary>
    [Required]
    public string MetricsPath { get; set; } = "/metrics";

    /// <summary>
    /// Client networks (CIDR) that may scrape; any other caller gets 404, as if there were no such path. None set:
    /// loopback only (<see cref="LoopbackNetworks"/>); a cluster names its pod network (deploy/kubernetes). Empty by
    /// default because configuration appends to an array's initial items rather than replacing them.
    /// </summary>
    public string[] MetricsAllowedNetworks { get; set; } = [];

    public static IReadOnlyList<string> LoopbackNetworks { get; } = ["127.0.0.0/8", "::1/128"];

    /// <summary>An OTLP/gRPC or OTLP/HTTP endpoint for traces (e.g. http://127.0.0.1:4317); none: traces are not exported.</summary>
    public string? OtlpEndpoint { get; set; }
}
