using HostedPbx.Data.Entities;

namespace HostedPbx.Switch.Calls.Trunks;

/// <summary>
/// What a carrier's INVITE to a number is answered (issue 11, inbound): the tenant, trunk and extension it rings, or the
/// status and fixed reason phrase the carrier gets, and, for a refusal that concerns security, what the audit log says.
/// </summary>
internal sealed record InboundDecision(int Status, string Reason, string? AuditReason, InboundNumber? Number, PstnTrunk? Trunk, string? Extension)
{
    public bool Admitted => Number is not null;
}
