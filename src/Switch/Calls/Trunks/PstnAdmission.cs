using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;

namespace HostedPbx.Switch.Calls.Trunks;

/// <summary>The answer of <see cref="PstnGate"/> to one dialled number.</summary>
internal sealed record PstnAdmission(PstnAdmissionKind Kind, int Status = 0, string Reason = "", OutboundRoute? Route = null,
    OutboundDestination? Destination = null)
{
    public static readonly PstnAdmission NotPstn = new(PstnAdmissionKind.NotPstn);
}
