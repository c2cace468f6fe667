using HostedPbx.Switch.Media.Relay;

namespace HostedPbx.Switch.Diagnostics;

/// <summary>
/// The relay's packet counts for metrics, summed over live sessions and those already closed. The relay thread only
/// bumps the plain counters each <see cref="RelayLeg"/> already keeps; they are read here when Prometheus scrapes, so
/// the hot path stays free of allocations and metric calls (DESIGN "Calls": nothing per packet).
/// </summary>
internal sealed class RelayTotals
{
    private readonly Lock _gate = new();
    private readonly HashSet<RelaySession> _live = [];
    private readonly Dictionary<string, RtcpReceptionTotals> _closedReception = new(StringComparer.Ordinal);
    private RelayLegCounters _closed;

    public int LiveSessions
    {
        get
        {
            lock (_gate)
            {
                return _live.Count;
            }
        }
    }

    /// <summary>Counts a new session until it closes; its final counts are kept when it does.</summary>
    public void Track(RelaySession session)
    {
        lock (_gate)
        {
            _live.Add(session);
        }

        session.Closing = Closed;
    }

    /// <summary>All packets so far: those of closed sessions and the current legs of live ones.</summary>
    public RelayLegCounters Snapshot()
    {
        lock (_gate)
        {
            var sum = _closed;
            foreach (var session in _live)
            {
                sum = Add(Add(sum, session.LegA), session.LegB);
            }

            return sum;
        }
    }

    /// <summary>
    /// The RTCP reception reports read so far (issue 14 item 3), summed by the kind of party that sent them: closed
    /// sessions' and the current legs of live ones.
    /// </summary>
    public Dictionary<string, RtcpReceptionTotals> ReceptionByKind()
    {
        lock (_gate)
        {
            var sums = new Dictionary<string, RtcpReceptionTotals>(_closedReception, StringComparer.Ordinal);
            foreach (var session in _live)
            {
                AddReception(sums, session);
            }

            return sums;
        }
    }

    private void Closed(RelaySession session)
    {
        lock (_gate)
        {
            if (_live.Remove(session))
            {
                _closed = Add(Add(_closed, session.LegA), session.LegB);
                AddReception(_closedReception, session);
            }
        }
    }

    private static void AddReception(Dictionary<string, RtcpReceptionTotals> sums, RelaySession session)
    {
        var (kindA, kindB) = session.LegKinds?.Invoke() ?? ("unknown", "unknown");
        foreach (var (kind, leg) in new[] { (kindA, session.LegA), (kindB, session.LegB) })
        {
            if (leg is not null && leg.Reception is { Reports: > 0 } reception)
            {
                sums[kind] = sums.GetValueOrDefault(kind).Add(reception);
            }
        }
    }

    private static RelayLegCounters Add(RelayLegCounters sum, RelayLeg? leg)
    {
        if (leg is null)
        {
            return sum;
        }

        var c = leg.Counters;
        return new RelayLegCounters(
            sum.Received + c.Received, sum.Relayed + c.Relayed, sum.AuthFailures + c.AuthFailures,
            sum.Replays + c.Replays, sum.Malformed + c.Malformed, sum.WrongSource + c.WrongSource);
    }
}
