using System.Linq.Expressions;
using HostedPbx.Data.Entities;

namespace HostedPbx.Provisioning.Features.LegalHolds;

/// <summary>A legal hold as the API shows it: what it covers, why, who placed it and, once lifted, who lifted it and why.</summary>
public sealed record LegalHoldResponse(
    Guid Id, string Scope, Guid? ExtensionId, Guid? RecordingId, string Reason, string PlacedBy, DateTimeOffset PlacedAt,
    string? LiftedBy, DateTimeOffset? LiftedAt, string? LiftReason, bool InForce)
{
    internal static Expression<Func<LegalHold, LegalHoldResponse>> Projection { get; } = h => new LegalHoldResponse(
        h.Id, h.Scope.ToString(), h.ExtensionId, h.RecordingId, h.Reason, h.PlacedBy, h.PlacedAt, h.LiftedBy, h.LiftedAt, h.LiftReason, h.LiftedAt == null);

    internal static LegalHoldResponse From(LegalHold hold) => Projection.Compile()(hold);
}
