using System.Net;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Nodes;

namespace HostedPbx.Switch.Calls.Trunks;

/// <summary>
/// Decides what a dialled number that is no extension means for the telephone network: an emergency call (always
/// routed, ahead of every limit and block), a call the tenant's toll-fraud guards refuse (the caller hears the reason,
/// the audit log the detail), or a call for one of the tenant's routes. The rules themselves are the pure functions of
/// <c>HostedPbx.Data.Pstn</c>, the same the API and portal show; this class holds only what they need to remember.
/// </summary>
internal sealed class PstnGate(Func<PstnDirectory> directory, PstnSuspensionStore suspensions, SwitchAudit audit, TimeProvider time, ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly InternationalAttempts _attempts = new(time);

    // A burst suspends at once, before the database has it; the snapshot takes over once it shows the suspension.
    private readonly Dictionary<Guid, (DateTimeOffset At, string Reason)> _suspended = [];

    // Tenants whose snapshot showed a suspension: when one shows none again, an admin lifted it, and the burst count
    // starts afresh (the attempts that tripped it would otherwise trip it again on the next international call).
    private readonly HashSet<Guid> _seenSuspended = [];

    /// <summary>The calls in progress on this node (set by the call controller): for the concurrent-call and minute limits.</summary>
    public Func<IReadOnlyList<Call>>? ActiveCalls { get; set; }

    /// <summary>
    /// The outbound calls the other live switch nodes published with their last heartbeat (set by the switch; none on a
    /// single node). Another node's calls are seen up to one heartbeat late (<c>Switch:NodeHeartbeatSeconds</c>, 5 s):
    /// two nodes admitting a tenant's calls at the same instant can exceed its limits by the calls started within that
    /// interval, never by more.
    /// </summary>
    public Func<IReadOnlyList<ExternalCall>>? OtherNodes { get; set; }

    /// <summary>This node's outbound calls to the telephone network as the limits count them: what it publishes each heartbeat.</summary>
    public IReadOnlyList<ExternalCall> RunningHere()
    {
        var running = new List<ExternalCall>();
        foreach (var call in ActiveCalls?.Invoke() ?? [])
        {
            if (call.Callees.Append(call.Callee).Any(l => l is TrunkLeg { Emergency: false }))
            {
                // Minutes run from the carrier's answer only, not from another callee's.
                running.Add(new ExternalCall(call.Id, call.TenantId, call is { AnsweredAt: { } answered, Callee: TrunkLeg } ? answered : null));
            }
        }

        return running;
    }

    public PstnAdmission Admit(Guid tenantId, string dialled, string caller, IPAddress? source)
    {
        if (!directory().TryGet(tenantId, out var tenant))
        {
            return PstnAdmission.NotPstn;
        }

        var destination = OutboundDestination.Classify(dialled, tenant.Plan);
        if (destination.Kind == DialledKind.Invalid)
        {
            return PstnAdmission.NotPstn;
        }

        // Read outside this gate's lock: each call's legs are behind the call's own lock.
        var (running, minutes) = Outbound(tenantId);
        minutes = minutes.Plus(directory().EndedMinutesOf(tenantId));
        FraudDecision decision;
        lock (_gate)
        {
            var settings = Effective(tenant);
            var recent = _attempts.Recent(tenantId, TimeSpan.FromMinutes(settings.BurstWindowMinutes));
            decision = FraudGuard.Decide(new FraudCheck(settings, destination, running, minutes.LastHour, minutes.LastDay, recent));
            if (destination is { Kind: DialledKind.External, International: true })
            {
                _attempts.Add(tenantId);
            }

            if (decision.Verdict == FraudVerdict.Suspend)
            {
                _suspended[tenantId] = (time.GetUtcNow(), decision.AuditReason);
            }
        }

        switch (decision.Verdict)
        {
            case FraudVerdict.Allow:
                break;
            case FraudVerdict.Refuse:
                Refused(tenantId, caller, source, decision);
                return new(PstnAdmissionKind.Refused, decision.SipStatus, decision.SipReason);
            case FraudVerdict.Suspend:
                SwitchLog.PstnSuspended(logger, tenantId);
                Refused(tenantId, caller, source, decision);
                _ = suspensions.SuspendAsync(tenantId, time.GetUtcNow(), decision.AuditReason, CancellationToken.None);
                return new(PstnAdmissionKind.Refused, decision.SipStatus, decision.SipReason);
        }

        if (destination.Kind == DialledKind.Emergency)
        {
            SwitchLog.PstnEmergency(logger, tenantId, destination.Number);
        }

        var route = destination.Kind == DialledKind.Emergency
            ? OutboundRouting.SelectForEmergency(tenant.Routes, destination, tenant.Plan)
            : OutboundRouting.Select(tenant.Routes, destination);
        return route is null ? PstnAdmission.NotPstn : new(PstnAdmissionKind.Routed, Route: route, Destination: destination);
    }

    /// <summary>
    /// The tenant's outbound calls to the telephone network on this node and, where there are others, on every other
    /// live node (ringing or answered; emergency calls never count) and the minutes the answered ones have run so far,
    /// at this node's clock.
    /// </summary>
    private (int Running, ExternalMinutes Minutes) Outbound(Guid tenantId)
    {
        var now = time.GetUtcNow();
        var (running, minutes) = (0, ExternalMinutes.None);
        foreach (var call in RunningHere().Concat(OtherNodes?.Invoke() ?? []))
        {
            if (call.TenantId != tenantId)
            {
                continue;
            }

            running++;
            if (call.AnsweredAt is { } answered)
            {
                minutes = minutes.Plus(ExternalMinutes.Of(answered, null, now));
            }
        }

        return (running, minutes);
    }

    private PstnSettings Effective(PstnTenant tenant)
    {
        var stored = tenant.Settings;
        if (stored.OutboundSuspendedAt is not null)
        {
            _suspended.Remove(tenant.TenantId);
            _seenSuspended.Add(tenant.TenantId);
            return stored;
        }

        if (_seenSuspended.Remove(tenant.TenantId))
        {
            _attempts.Clear(tenant.TenantId);
        }

        if (!_suspended.TryGetValue(tenant.TenantId, out var held))
        {
            return stored;
        }

        return new PstnSettings
        {
            TenantId = stored.TenantId, Country = stored.Country, AllowedCountries = stored.AllowedCountries, BlockedPrefixes = stored.BlockedPrefixes,
            PlatformRangesUnblocked = stored.PlatformRangesUnblocked,
            MaxConcurrentExternalCalls = stored.MaxConcurrentExternalCalls, MaxMinutesPerHour = stored.MaxMinutesPerHour,
            MaxMinutesPerDay = stored.MaxMinutesPerDay, BurstAttempts = stored.BurstAttempts, BurstWindowMinutes = stored.BurstWindowMinutes,
            OutboundSuspendedAt = held.At, SuspensionReason = held.Reason,
        };
    }

    // The caller hears only the reason phrase; the audit event names the check that refused the call (its action) and why.
    private void Refused(Guid tenantId, string caller, IPAddress? source, FraudDecision decision)
    {
        SwitchLog.PstnRefused(logger, tenantId, decision.SipStatus, decision.SipReason);
        audit.Denied(decision.AuditAction, decision.AuditReason, tenantId, caller, null, source, "tenant", tenantId.ToString());
    }
}
