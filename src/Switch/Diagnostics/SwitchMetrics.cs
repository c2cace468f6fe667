using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Calls;
using HostedPbx.Switch.Calls.Trunks.Keepalive;
using HostedPbx.Switch.Calls.Voicemail;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Sip.Registrar;
using HostedPbx.Switch.Sip.Transport;

namespace HostedPbx.Switch.Diagnostics;

/// <summary>
/// The switch's meter and activity source, "HostedPbx.Switch" (STYLE §6; issue 14 item 3). Names follow the
/// OpenTelemetry conventions (dotted, unit in braces); Prometheus sees them as e.g. <c>hostedpbx_switch_calls_total</c>.
/// Labels are bounded sets (outcome, state, action, reason, direction) and a tenant's id at most: never a tenant's
/// name, a number, a MAC or an address. What the switch already counts is read when scraped, not pushed per event.
/// </summary>
internal sealed class SwitchMetrics : IDisposable
{
    public const string Name = "HostedPbx.Switch";

    private readonly Meter _meter;
    private readonly Counter<long> _calls;
    private readonly Counter<long> _refusals;
    private readonly Counter<long> _handshakeFailures;
    private readonly ConcurrentDictionary<Guid, Activity> _spans = new();
    private Observed? _observed;

    public SwitchMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(Name);
        Source = new ActivitySource(Name);
        _calls = _meter.CreateCounter<long>("hostedpbx.switch.calls", "{call}", "Calls ended, by outcome.");
        _refusals = _meter.CreateCounter<long>("hostedpbx.switch.refusals", "{refusal}", "Requests and connections refused, by action (the reason is in the audit log).");
        _handshakeFailures = _meter.CreateCounter<long>("hostedpbx.switch.tls.handshake_failures", "{handshake}", "TLS handshakes refused or failed, by reason.");
        _meter.CreateObservableGauge("hostedpbx.switch.calls.active", ObserveActiveCalls, "{call}", "Calls in progress, by state and tenant id.");
        _meter.CreateObservableGauge("hostedpbx.switch.registrations", () => _observed?.Registrations() ?? 0, "{binding}", "Live registrations (bindings) on this node.");
        _meter.CreateObservableGauge("hostedpbx.switch.connections", () => _observed?.Connections.Count ?? 0, "{connection}", "Open TLS connections from handsets.");
        _meter.CreateObservableGauge("hostedpbx.switch.tls.certificate.expiry", ObserveCertificateExpiry, "s", "Seconds until the switch's own TLS certificate expires.");
        _meter.CreateObservableGauge("hostedpbx.switch.relay.sessions", () => Relay.LiveSessions, "{session}", "Media relay sessions open.");
        _meter.CreateObservableCounter("hostedpbx.switch.relay.packets", ObservePackets, "{packet}", "Media packets received and relayed, by direction.");
        _meter.CreateObservableCounter("hostedpbx.switch.relay.drops", ObserveDrops, "{packet}", "Media packets dropped, by reason.");
        // Issue 14 item 3: media quality as the handsets, nodes and carriers see it, from their RTCP reports (RFC 3550
        // §6.4.1), as summary-style sums: mean jitter = rate(jitter) / rate(reports), mean loss likewise.
        _meter.CreateObservableCounter("hostedpbx.switch.media.rtcp_reports", () => ObserveReception(r => r.Reports), "{report}", "RTCP reception reports read from the parties of calls, by leg kind.");
        _meter.CreateObservableCounter("hostedpbx.switch.media.jitter", () => ObserveReception(r => r.JitterSeconds), "s", "Sum of the interarrival jitter the parties reported (RFC 3550 §6.4.1), by leg kind.");
        _meter.CreateObservableCounter("hostedpbx.switch.media.fraction_lost", () => ObserveReception(r => r.FractionLost), "{fraction}", "Sum of the fraction of packets lost the parties reported (0-1 per report), by leg kind.");
        _meter.CreateObservableGauge("hostedpbx.switch.trunk.up", ObserveTrunks, "{trunk}", "1 when this node's OPTIONS keep-alive finds the trunk up, 0 when down, by trunk id.");
        _meter.CreateObservableCounter("hostedpbx.switch.trunk.skipped", ObserveTrunkSkips, "{call}", "Calls whose route passed over the trunk because it was down, by trunk id.");
        _meter.CreateObservableCounter("hostedpbx.switch.srtp.auth_failures", () => Relay.Snapshot().AuthFailures, "{packet}", "SRTP and SRTCP packets that failed authentication (RFC 3711 §3.3 step 5).");
        _meter.CreateObservableCounter("hostedpbx.switch.application.drops", ObserveApplicationDrops, "{packet}", "What callers sent to a mailbox or the voicemail menu and was dropped, by reason.");
    }

    /// <summary>Spans per call (INVITE → call record); created only while a tracer listens.</summary>
    public ActivitySource Source { get; }

    public RelayTotals Relay { get; } = new();

    /// <summary>What the application legs (mailbox, voicemail menu) dropped of what callers sent.</summary>
    public ApplicationDrops ApplicationDrops { get; } = new();

    /// <summary>The trunk keep-alive whose states the trunk gauges read (issue 11), once the SIP service has built it.</summary>
    public TrunkKeepalive? Keepalive { get; set; }

    /// <summary>What the gauges read, once the SIP service has built it.</summary>
    public void Observe(BindingTable bindings, ConnectionTable connections, CallController calls, DateTimeOffset certificateNotAfter, TimeProvider time) =>
        _observed = new Observed(() => bindings.CountLive(time.GetUtcNow()), connections, calls, () => (certificateNotAfter - time.GetUtcNow()).TotalSeconds);

    /// <summary>Sees every call record the switch writes: the first opens the call's span, the final one counts the call.</summary>
    public void OnRecord(CallRecord record)
    {
        if (record.EndedAt is null)
        {
            if (!_spans.ContainsKey(record.Id) && Source.StartActivity("call", ActivityKind.Server) is { } span)
            {
                span.SetTag("hostedpbx.call.id", record.Id);
                span.SetTag("hostedpbx.tenant.id", record.TenantId);
                _spans[record.Id] = span;
            }

            return;
        }

        var outcome = OutcomeLabel(record.Outcome);
        _calls.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (_spans.TryRemove(record.Id, out var open))
        {
            open.SetTag("hostedpbx.call.outcome", outcome);
            open.SetStatus(record.Outcome == CallOutcome.Failed ? ActivityStatusCode.Error : ActivityStatusCode.Ok);
            open.Dispose();
        }
    }

    /// <summary>Every refusal the audit log gets is counted here by its action; a handshake's also by a coarse reason.</summary>
    public void OnRefused(string action, string reason)
    {
        _refusals.Add(1, new KeyValuePair<string, object?>("action", action));
        if (action == "sip.tls.handshake")
        {
            _handshakeFailures.Add(1, new KeyValuePair<string, object?>("reason", HandshakeReason(reason)));
        }
    }

    /// <summary>
    /// A bounded label for a handshake refusal: the audit's reason is free text (it may name a MAC or a serial), so it is
    /// reduced to the kind of failure TlsListener reports.
    /// </summary>
    internal static string HandshakeReason(string reason) =>
        reason.StartsWith("more than", StringComparison.Ordinal) ? "too_many_handshakes"
        : reason.StartsWith("handshake not finished", StringComparison.Ordinal) ? "timeout"
        : reason.StartsWith("handshake failed", StringComparison.Ordinal) ? "tls_error"
        : "identity";

    /// <summary>A bounded label for the kind of party on a side of the media relay.</summary>
    internal static string LegKindLabel(Calls.LegKind? kind) => kind switch
    {
        Calls.LegKind.Handset => "handset",
        Calls.LegKind.Trunk => "trunk",
        Calls.LegKind.Node => "node",
        Calls.LegKind.Application => "application",
        null => "none",
        _ => "other",
    };

    internal static string OutcomeLabel(CallOutcome outcome) => outcome switch
    {
        CallOutcome.InProgress => "in_progress",
        CallOutcome.Answered => "answered",
        CallOutcome.Busy => "busy",
        CallOutcome.NoAnswer => "no_answer",
        CallOutcome.Rejected => "rejected",
        CallOutcome.NotFound => "not_found",
        CallOutcome.Unavailable => "unavailable",
        CallOutcome.Cancelled => "cancelled",
        CallOutcome.Failed => "failed",
        _ => "other",
    };

    public void Dispose()
    {
        foreach (var span in _spans.Values)
        {
            span.Dispose();
        }

        Source.Dispose();
        _meter.Dispose();
    }

    private IEnumerable<Measurement<int>> ObserveTrunks() =>
        Keepalive?.States().Select(s => new Measurement<int>(s.Up ? 1 : 0, new KeyValuePair<string, object?>("trunk_id", s.TrunkId))) ?? [];

    private IEnumerable<Measurement<long>> ObserveTrunkSkips() =>
        Keepalive?.Skipped().Select(s => new Measurement<long>(s.Skipped, new KeyValuePair<string, object?>("trunk_id", s.TrunkId))) ?? [];

    private IEnumerable<Measurement<int>> ObserveActiveCalls()
    {
        if (_observed is null)
        {
            return [];
        }

        return _observed.Calls.ActiveCalls
            .GroupBy(c => (c.CurrentState, c.TenantId))
            .Select(g => new Measurement<int>(g.Count(),
                new KeyValuePair<string, object?>("state", g.Key.CurrentState == Call.State.Ringing ? "ringing" : g.Key.CurrentState == Call.State.Answered ? "answered" : "ended"),
                new KeyValuePair<string, object?>("tenant_id", g.Key.TenantId.ToString())));
    }

    private IEnumerable<Measurement<double>> ObserveCertificateExpiry() =>
        _observed is null ? [] : [new Measurement<double>(_observed.CertificateExpiry())];

    private IEnumerable<Measurement<long>> ObservePackets()
    {
        var c = Relay.Snapshot();
        return
        [
            new(c.Received, new KeyValuePair<string, object?>("direction", "received")),
            new(c.Relayed, new KeyValuePair<string, object?>("direction", "relayed")),
        ];
    }

    private IEnumerable<Measurement<T>> ObserveReception<T>(Func<RtcpReceptionTotals, T> value)
        where T : struct =>
        Relay.ReceptionByKind().Select(k => new Measurement<T>(value(k.Value), new KeyValuePair<string, object?>("leg_kind", k.Key)));

    private IEnumerable<Measurement<long>> ObserveDrops()
    {
        var c = Relay.Snapshot();
        return
        [
            new(c.AuthFailures, new KeyValuePair<string, object?>("reason", "srtp_auth")),
            new(c.Replays, new KeyValuePair<string, object?>("reason", "replay")),
            new(c.Malformed, new KeyValuePair<string, object?>("reason", "malformed")),
            new(c.WrongSource, new KeyValuePair<string, object?>("reason", "wrong_source")),
        ];
    }

    private IEnumerable<Measurement<long>> ObserveApplicationDrops() =>
    [
        new(ApplicationDrops.Oversized, new KeyValuePair<string, object?>("reason", "oversized")),
        new(ApplicationDrops.Unauthenticated, new KeyValuePair<string, object?>("reason", "srtp_auth")),
        new(ApplicationDrops.Unnegotiated, new KeyValuePair<string, object?>("reason", "unnegotiated_payload")),
        new(ApplicationDrops.DigitOverflow, new KeyValuePair<string, object?>("reason", "digit_overflow")),
    ];

    private sealed record Observed(Func<int> Registrations, ConnectionTable Connections, CallController Calls, Func<double> CertificateExpiry);
}
