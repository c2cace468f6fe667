using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace HostedPbx.Data.Observability;

/// <summary>
/// The one place a part's OpenTelemetry is set up (issue 14 item 3): its own meter and ASP.NET Core's, Kestrel's,
/// Npgsql's and the .NET runtime's (GC heap and committed memory, working set, thread pool), exported for Prometheus on
/// <c>/metrics</c>; traces (ASP.NET Core, Npgsql, the part's own source) only when an OTLP endpoint is configured. No
/// instrument carries a tenant's name, a phone number or a secret.
/// </summary>
public static class PbxTelemetry
{
    /// <summary>The meter and activity source of Npgsql (connection pool usage, command durations; a span per command).</summary>
    public const string NpgsqlSource = "Npgsql";

    /// <summary>
    /// The runtime's own meter: how much of a part's memory is the managed heap and how much the GC holds committed,
    /// which an operator needs to size a node (and the load tool reads to break a handset's cost down).
    /// </summary>
    public const string RuntimeSource = "System.Runtime";

    /// <summary>
    /// Sets up metrics and traces for a part whose own instruments live in <typeparamref name="TMetrics"/> (a singleton
    /// with the meter <paramref name="source"/>, made when the meter provider starts so its gauges exist from the first scrape).
    /// </summary>
    public static IHostApplicationBuilder AddPbxTelemetry<TMetrics>(this IHostApplicationBuilder builder, string serviceName, string source)
        where TMetrics : class
    {
        builder.Services.AddSingleton<TMetrics>();
        builder.Services.AddOptions<TelemetryOptions>()
            .BindConfiguration(TelemetryOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.MetricsAllowedNetworks.All(n => IPNetwork.TryParse(n, out _)),
                "Telemetry:MetricsAllowedNetworks holds a value that is not a network in CIDR form (e.g. 10.0.0.0/8).")
            .Validate(o => string.IsNullOrWhiteSpace(o.OtlpEndpoint) || Uri.TryCreate(o.OtlpEndpoint, UriKind.Absolute, out _),
                "Telemetry:OtlpEndpoint is not an absolute URI (e.g. http://127.0.0.1:4317).")
            .ValidateOnStart();
        var otlp = builder.Configuration[$"{TelemetryOptions.SectionName}:{nameof(TelemetryOptions.OtlpEndpoint)}"];
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics => metrics
                .AddMeter(source)
                .AddInstrumentation(sp => sp.GetRequiredService<TMetrics>())
                .AddMeter(NpgsqlSource)
                .AddMeter(RuntimeSource)
                .AddAspNetCoreInstrumentation()
                .AddMeter("Microsoft.AspNetCore.Server.Kestrel")
                .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(otlp) && Uri.TryCreate(otlp, UriKind.Absolute, out var endpoint))
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(source)
                .AddSource(NpgsqlSource)
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
                .AddOtlpExporter(o => o.Endpoint = endpoint));
        }

        return builder;
    }

    /// <summary>Serves the scrape endpoint, first in the pipeline, to the allowed networks only.</summary>
    public static IApplicationBuilder UsePbxMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        var allowed = (options.MetricsAllowedNetworks.Length == 0 ? TelemetryOptions.LoopbackNetworks : options.MetricsAllowedNetworks)
            .Select(n => IPNetwork.Parse(n)).ToArray();
        var path = new PathString(options.MetricsPath);
        return app.UseOpenTelemetryPrometheusScrapingEndpoint(http => http.Request.Path == path && IsAllowed(http.Connection.RemoteIpAddress, allowed));
    }

    internal static bool IsAllowed(IPAddress? client, IReadOnlyList<IPNetwork> allowed)
    {
        if (client is null)
        {
            return false;
        }

        var address = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
        return allowed.Any(n => n.Contains(address));
    }
}
