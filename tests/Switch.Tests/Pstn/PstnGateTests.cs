using HostedPbx.Data.Entities;
using HostedPbx.Switch.Calls.Trunks;
using HostedPbx.Switch.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Switch.Tests.Pstn;

/// <summary>The switch's PSTN admission: toll-fraud guards over time, the burst rule's suspension, and emergency calls ahead of all.</summary>
public sealed class PstnGateTests
{
    private static readonly Guid s_tenant = Guid.CreateVersion7();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly SwitchAudit _audit;
    private PstnDirectory _directory;
    private readonly PstnGate _gate;

    public PstnGateTests()
    {
        _audit = new SwitchAudit(_time);
        _directory = Directory(suspendedAt: null);
        _gate = new PstnGate(() => _directory, new PstnSuspensionStore(null, NullLogger.Instance), _audit, _time, NullLogger.Instance);
    }

    [Fact]
    public void Admit_TwentyQuickInternationalAttempts_TripTheBurstAndSuspendOutboundButEmergencyStillRoutes()
    {
        var answers = new List<PstnAdmission>();
        for (var i = 0; i < 20; i++)
        {
            answers.Add(_gate.Admit(s_tenant, "00442079460018", "201", null));
            _time.Advance(TimeSpan.FromSeconds(3));
        }

        var national = _gate.Admit(s_tenant, "030123456", "201", null);
        var emergency = _gate.Admit(s_tenant, "112", "201", null);

        Assert.All(answers.Take(10), a => Assert.Equal(PstnAdmissionKind.Routed, a.Kind));
        Assert.All(answers.Skip(10).Append(national), a => Assert.Equal((PstnAdmissionKind.Refused, 403, "Outbound calls suspended"), (a.Kind, a.Status, a.Reason)));
        Assert.Equal(PstnAdmissionKind.Routed, emergency.Kind);
        Assert.Equal(("112", "Germany"), (emergency.Destination!.Number, emergency.Route!.Name));
        var events = Drain();
        var suspended = Assert.Single(events, e => e.Action == "pstn.outbound-suspend");
        Assert.Contains("11 international attempts within 5 minutes (more than 10)", suspended.Reason, StringComparison.Ordinal);
        Assert.Equal(s_tenant, suspended.TenantId);
        Assert.Equal(10, events.Count(e => e.Action == "pstn.outbound.suspended" && e.Reason!.Contains("suspended", StringComparison.Ordinal)));
    }

    [Fact]
    public void Admit_InternationalAttemptsSpreadWiderThanTheWindow_NeverTripTheBurst()
    {
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(PstnAdmissionKind.Routed, _gate.Admit(s_tenant, "00442079460018", "201", null).Kind);
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Empty(Drain());
    }

    [Fact]
    public void Admit_SuspensionStoredThenLiftedByAnAdmin_CallsRouteAgain()
    {
        for (var i = 0; i < 11; i++)
        {
            _gate.Admit(s_tenant, "00442079460018", "201", null);
        }

        _directory = Directory(suspendedAt: _time.GetUtcNow());
        var whileStored = _gate.Admit(s_tenant, "030123456", "201", null);
        _directory = Directory(suspendedAt: null);
        _time.Advance(TimeSpan.FromMinutes(6));

        var afterLift = _gate.Admit(s_tenant, "030123456", "201", null);

        Assert.Equal("Outbound calls suspended", whileStored.Reason);
        Assert.Equal(PstnAdmissionKind.Routed, afterLift.Kind);
        Assert.Equal("+4930123456", afterLift.Destination!.Number);
    }

    [Theory]
    [InlineData("09001234567", "Destination in a blocked range", "+49900 Premium rate, Germany")]
    [InlineData("0033142681234", "Destination country not allowed", "not in the allowed countries DE, GB")]
    public void Admit_BlockedRangeOrCountry_RefusedWithTheReasonAndAudited(string dialled, string reason, string audit)
    {
        var answer = _gate.Admit(s_tenant, dialled, "201", null);

        Assert.Equal((PstnAdmissionKind.Refused, 403, reason), (answer.Kind, answer.Status, answer.Reason));
        Assert.Contains(Drain(), e => e.Outcome == AuditOutcome.Denied && e.Reason!.Contains(audit, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("*97")]
    [InlineData("12")]
    public void Admit_NotANumber_LeftToTheControllerAsAnUnknownExtension(string dialled) =>
        Assert.Equal(PstnAdmissionKind.NotPstn, _gate.Admit(s_tenant, dialled, "201", null).Kind);

    [Fact]
    public void Admit_TenantWithoutRoutes_NotPstn() =>
        Assert.Equal(PstnAdmissionKind.NotPstn, _gate.Admit(Guid.CreateVersion7(), "112", "201", null).Kind);

    private static PstnDirectory Directory(DateTimeOffset? suspendedAt) => new(
        [new PstnSettings { TenantId = s_tenant, Country = "DE", AllowedCountries = ["DE", "GB"], OutboundSuspendedAt = suspendedAt, SuspensionReason = suspendedAt is null ? null : "burst" }],
        [
            new OutboundRoute { TenantId = s_tenant, Name = "UK", Pattern = "+44*", Priority = 1, TrunkIds = [Guid.CreateVersion7()] },
            new OutboundRoute { TenantId = s_tenant, Name = "Germany", Pattern = "+49*", Priority = 2, TrunkIds = [Guid.CreateVersion7()] },
        ]);

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
