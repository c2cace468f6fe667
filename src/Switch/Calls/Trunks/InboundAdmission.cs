using HostedPbx.Data.Pstn;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Transport.Peers;

namespace HostedPbx.Switch.Calls.Trunks;

/// <summary>
/// Decides a carrier's INVITE to a number (issue 11, inbound) from the PSTN directory and the carrier's proven identity
/// alone: no I/O. The number must be in E.164 after the carrier's forms, assigned to a tenant, and delivered by a carrier
/// that serves that tenant (the number's own trunk, else one of the tenant's trunks to this carrier); the tenant must be
/// active. Every refusal names no check to the carrier: a number another carrier serves is "not assigned" as well.
/// </summary>
internal static class InboundAdmission
{
    public const string NotAssigned = "Number Not Assigned";

    public static InboundDecision Decide(PstnDirectory directory, PeerIdentity carrier, string? called)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(carrier);
        if (!PhoneNumber.TryFromCarrier(called, out var e164) || !directory.TryFindNumber(e164, out var number))
        {
            return new(SipStatusCodes.NotFound, NotAssigned, null, null, null, null);
        }

        // A carrier is bound to its certificate as a handset is: it delivers only the numbers of tenants it carries.
        if ((carrier.TenantId is { } own && own != number.TenantId) || directory.InboundTrunkOf(number, carrier.PeerId) is not { } trunk)
        {
            return new(SipStatusCodes.NotFound, NotAssigned,
                $"carrier {carrier.Name} sent a call to {e164}, a number of a tenant it does not carry", null, null, null);
        }

        if (directory.IsSuspended(number.TenantId))
        {
            return new(SipStatusCodes.Forbidden, "Forbidden", null, null, null, null);
        }

        if (number.DestinationExtension?.Number is not { } extension)
        {
            return new(SipStatusCodes.NotFound, NotAssigned, null, null, null, null);
        }

        return new(0, "", null, number, trunk, extension);
    }
}
