using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;
using HostedPbx.Switch.Sip.Transport.Peers;

namespace HostedPbx.Switch.Calls.Trunks;

/// <summary>
/// A snapshot of every tenant's PSTN configuration. A tenant with routes is in it (with default guards when it saved
/// none); a tenant without routes has no way out to the telephone network and is not. <see cref="Peers"/> are the
/// carriers (the operator's and tenants' own) whose certificates the switch admits, by the name each is configured with.
/// </summary>
internal sealed class PstnDirectory
{
    public static readonly PstnDirectory Empty = new([], []);

    private readonly Dictionary<Guid, PstnTenant> _tenants;

    public PstnDirectory(IEnumerable<PstnSettings> settings, IEnumerable<OutboundRoute> routes, PeerDirectory? peers = null)
    {
        Peers = peers ?? PeerDirectory.Empty;
        var byTenant = settings.ToDictionary(s => s.TenantId);
        _tenants = routes.GroupBy(r => r.TenantId).ToDictionary(g => g.Key, g =>
        {
            var own = byTenant.GetValueOrDefault(g.Key) ?? new PstnSettings { TenantId = g.Key };
            // A country the switch has no plan for (hand-written SQL) falls back to the default's, never to no guards.
            var plan = CountryDialPlan.Find(own.Country) ?? CountryDialPlan.Find(new PstnSettings().Country)!;
            return new PstnTenant(g.Key, own, plan, [.. g.OrderBy(r => r.Priority)]);
        });
    }

    public PeerDirectory Peers { get; }

    public bool TryGet(Guid tenantId, out PstnTenant tenant) => _tenants.TryGetValue(tenantId, out tenant!);
}
