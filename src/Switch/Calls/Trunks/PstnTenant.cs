using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;

namespace HostedPbx.Switch.Calls.Trunks;

/// <summary>One tenant's PSTN configuration as the switch holds it: its country's dial plan, its guards and its routes.</summary>
internal sealed record PstnTenant(Guid TenantId, PstnSettings Settings, CountryDialPlan Plan, IReadOnlyList<OutboundRoute> Routes);
