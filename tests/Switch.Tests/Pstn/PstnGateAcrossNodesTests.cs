using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;
using HostedPbx.Switch.Calls.Trunks;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Switch.Tests.Pstn;

/// <summary>
/// The toll-fraud limits across switch nodes (issue 11): the calls other live nodes published with their heartbeat count
/// toward a tenant's concurrent-call and minute limits as this node's own do, and only toward their own tenant's.
/// </summary>
public sealed class PstnGateAcrossNodesTests
{
    private static readonly Guid s_tenant = Guid.CreateVersion7();
    private static readonly Guid s_otherTenant = Guid.CreateVersion7();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly SwitchAudit _audit;
    private IReadOnlyList<ExternalCall> _otherNodes = [];
    private readonly PstnGate _gate;

    public PstnGateAcrossNodesTests()
    {
        _audit = new SwitchAudit(_time);
        var directory = Directory();
        _gate = new PstnGate(() => directory, new PstnSuspensionStore(null, NullLogger.Instance), _audit, _time, NullLogger.Instance)
        {
            OtherNodes = () => _otherNodes,
        };
    }

    [Fact]
    public void Admit_TwoCallsRunningOnOtherNodes_LimitOfTwo_RefusedAsOnOneNode_EmergencyStillRoutes()
    {
        var under = _gate.Admit(s_tenant, "030123456", "201", null);
        _otherNodes = [Ringing(s_tenant), Answered(s_tenant, TimeSpan.FromMinutes(3))];

        var over = _gate.Admit(s_tenant, "030123456", "201", null);
        var emergency = _gate.Admit(s_tenant, "112", "201", null);

        Assert.Equal(PstnAdmissionKind.Routed, under.Kind);
        Assert.Equal((PstnAdmissionKind.Refused, 503, "Too many external calls"), (over.Kind, over.Status, over.Reason));
        Assert.Equal((PstnAdmissionKind.Routed, "112"), (emergency.Kind, emergency.Destination!.Number));
        var audited = Assert.Single(Drain());
        Assert.Equal(FraudAuditActions.Concurrent, audited.Action);
        Assert.Contains("2 external calls active, the limit is 2", audited.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Admit_AnotherNodesAnsweredCall_ItsMinutesAtThisNodesClockReachTheHourLimit()
    {
        // 10 minutes of ended calls (every node's records) and a call answered 49.5 minutes ago on another node.
        _otherNodes = [Answered(s_tenant, TimeSpan.FromMinutes(49.5))];
        var under = _gate.Admit(s_tenant, "030123456", "201", null);
        _time.Advance(TimeSpan.FromSeconds(30));

        var over = _gate.Admit(s_tenant, "030123456", "201", null);

        Assert.Equal(PstnAdmissionKind.Routed, under.Kind);
        Assert.Equal((PstnAdmissionKind.Refused, 403, "External minutes used up"), (over.Kind, over.Status, over.Reason));
        Assert.Contains("60 outbound minutes in the last hour, the limit is 60", Assert.Single(Drain()).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Admit_AnotherTenantsCallsOnOtherNodes_NeverCountForThisTenant()
    {
        _otherNodes = [Answered(s_otherTenant, TimeSpan.FromMinutes(55)), Answered(s_otherTenant, TimeSpan.FromMinutes(20)), Ringing(s_tenant)];

        var mine = _gate.Admit(s_tenant, "030123456", "201", null);
        var theirs = _gate.Admit(s_otherTenant, "030123456", "301", null);

        Assert.Equal(PstnAdmissionKind.Routed, mine.Kind);
        Assert.Equal((PstnAdmissionKind.Refused, "Too many external calls"), (theirs.Kind, theirs.Reason));
        Assert.Equal(s_otherTenant, Assert.Single(Drain()).TenantId);
    }

    private ExternalCall Answered(Guid tenantId, TimeSpan ago) => new(Guid.CreateVersion7(), tenantId, _time.GetUtcNow() - ago);

    private static ExternalCall Ringing(Guid tenantId) => new(Guid.CreateVersion7(), tenantId, null);

    private static PstnDirectory Directory() => new(
        [Settings(s_tenant), Settings(s_otherTenant)],
        [Route(s_tenant), Route(s_otherTenant)],
        endedMinutes: new Dictionary<Guid, ExternalMinutes> { [s_tenant] = new(10, 10) });

    private static PstnSettings Settings(Guid tenantId) =>
        new() { TenantId = tenantId, Country = "DE", AllowedCountries = ["DE"], MaxConcurrentExternalCalls = 2, MaxMinutesPerHour = 60 };

    private static OutboundRoute Route(Guid tenantId) =>
        new() { TenantId = tenantId, Name = "Germany", Pattern = "+49*", Priority = 1, TrunkIds = [Guid.CreateVersion7()] };

    private List<AuditEvent> Drain()
    {
        var events = new List<AuditEvent>();
        while (_audit.Reader.TryRead(out var e))
        {
            events.Add(e);
        }

        return events;
    }
}
