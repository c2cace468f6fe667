using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;
using HostedPbx.Switch.Calls.Trunks;
using HostedPbx.Switch.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Switch.Tests.Pstn;

/// <summary>
/// A suspension lifted by an admin while the attempts that tripped it are still inside the burst window: the next
/// international call routes (the count starts afresh) instead of suspending the tenant again at once.
/// </summary>
public sealed class FraudLiftGateTests
{
    private static readonly Guid s_tenant = Guid.CreateVersion7();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly SwitchAudit _audit;
    private PstnDirectory _directory = Directory(suspended: false);
    private readonly PstnGate _gate;

    public FraudLiftGateTests()
    {
        _audit = new SwitchAudit(_time);
        _gate = new PstnGate(() => _directory, new PstnSuspensionStore(null, NullLogger.Instance), _audit, _time, NullLogger.Instance);
    }

    [Fact]
    public void Admit_LiftedWithinTheBurstWindow_NextInternationalCallRoutes_AndABurstAfterItSuspendsAgain()
    {
        for (var i = 0; i < 11; i++)
        {
            _gate.Admit(s_tenant, "00442079460018", "201", null);
        }

        _directory = Directory(suspended: true);
        var whileSuspended = _gate.Admit(s_tenant, "00442079460018", "201", null);
        _directory = Directory(suspended: false);
        _time.Advance(TimeSpan.FromSeconds(30));

        var afterLift = _gate.Admit(s_tenant, "00442079460018", "201", null);
        var again = afterLift;
        for (var i = 0; i < 11; i++)
        {
            again = _gate.Admit(s_tenant, "00442079460018", "201", null);
        }


        Assert.Equal("Outbound calls suspended", whileSuspended.Reason);
        Assert.Equal(PstnAdmissionKind.Routed, afterLift.Kind);
        Assert.Equal((PstnAdmissionKind.Refused, "Outbound calls suspended"), (again.Kind, again.Reason));
        var events = new List<AuditEvent>();
        while (_audit.Reader.TryRead(out var e))
        {
            events.Add(e);
        }

        Assert.Equal(2, events.Count(e => e.Action == FraudAuditActions.Suspend));
    }

    private static PstnDirectory Directory(bool suspended) => new(
        [new PstnSettings
        {
            TenantId = s_tenant, Country = "DE", AllowedCountries = ["DE", "GB"], OutboundSuspendedAt = suspended ? new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero) : null,
            SuspensionReason = suspended ? "burst" : null,
        }],
        [new OutboundRoute { TenantId = s_tenant, Name = "UK", Pattern = "+44*", Priority = 1, TrunkIds = [Guid.CreateVersion7()] }]);
}
