using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;
using HostedPbx.Switch.Sip.Transport.Peers;
using HostedPbx.Switch.Sip.Transport.Udp;

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

    private readonly Dictionary<Guid, PstnTrunk> _trunks;
    private readonly Dictionary<(Guid TenantId, Guid ExtensionId), string> _numbersOfExtensions;
    private readonly Dictionary<Guid, string> _firstNumberOfTenant;
    private readonly Dictionary<string, InboundNumber> _inbound;
    private readonly HashSet<Guid> _suspended;
    private readonly IReadOnlyDictionary<Guid, ExternalMinutes> _endedMinutes;

    public PstnDirectory(
        IEnumerable<PstnSettings> settings, IEnumerable<OutboundRoute> routes, PeerDirectory? peers = null,
        IEnumerable<PstnTrunk>? trunks = null, IEnumerable<InboundNumber>? numbers = null, IEnumerable<Guid>? suspendedTenants = null,
        IEnumerable<PlainPeer>? plainPeers = null, IReadOnlyDictionary<Guid, ExternalMinutes>? endedMinutes = null)
    {
        _endedMinutes = endedMinutes ?? new Dictionary<Guid, ExternalMinutes>();
        Peers = peers ?? PeerDirectory.Empty;
        PlainPeers = [.. plainPeers ?? []];
        _suspended = [.. suspendedTenants ?? []];
        _trunks = (trunks ?? []).ToDictionary(t => t.Id);
        var ordered = (numbers ?? []).OrderBy(n => n.Number, StringComparer.Ordinal).ToList();
        _inbound = ordered.ToDictionary(n => n.Number, StringComparer.Ordinal);
        _numbersOfExtensions = ordered.GroupBy(n => (n.TenantId, n.DestinationExtensionId)).ToDictionary(g => g.Key, g => g.First().Number);
        _firstNumberOfTenant = ordered.GroupBy(n => n.TenantId).ToDictionary(g => g.Key, g => g.First().Number);
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

    /// <summary>
    /// The tenant's outbound minutes of calls that had ended when this snapshot was read (every node's records); the
    /// calls running on this node are added by the gate.
    /// </summary>
    public ExternalMinutes EndedMinutesOf(Guid tenantId) => _endedMinutes.GetValueOrDefault(tenantId) ?? ExternalMinutes.None;

    /// <summary>Every trunk the switch may dial (the keep-alive probes their carriers).</summary>
    public IEnumerable<PstnTrunk> AllTrunks => _trunks.Values;

    /// <summary>The trunks the operator allowed over plain UDP, each bound to its address (issue 11): the plain-trunk socket's flows.</summary>
    public IReadOnlyList<PlainPeer> PlainPeers { get; }

    public bool TryGet(Guid tenantId, out PstnTenant tenant) => _tenants.TryGetValue(tenantId, out tenant!);

    /// <summary>The route's trunks that belong to <paramref name="tenantId"/> and are enabled, in the route's order (failover order).</summary>
    public IReadOnlyList<PstnTrunk> TrunksOf(Guid tenantId, OutboundRoute route) =>
        [.. route.TrunkIds.Select(id => _trunks.GetValueOrDefault(id)).OfType<PstnTrunk>().Where(t => t.TenantId == tenantId)];

    /// <summary>
    /// The caller ID a call from <paramref name="extensionId"/> presents: the number pointed at that extension, else the
    /// tenant's first number. Always a number the tenant owns; null when it owns none.
    /// </summary>
    public string? CallerIdOf(Guid tenantId, Guid? extensionId) =>
        extensionId is { } id && _numbersOfExtensions.TryGetValue((tenantId, id), out var own) ? own : _firstNumberOfTenant.GetValueOrDefault(tenantId);

    /// <summary>The inbound number <paramref name="e164"/>, with the tenant and extension it rings.</summary>
    public bool TryFindNumber(string e164, out InboundNumber number) => _inbound.TryGetValue(e164, out number!);

    /// <summary>Whether the tenant is suspended: its numbers are not rung (issue 11, inbound).</summary>
    public bool IsSuspended(Guid tenantId) => _suspended.Contains(tenantId);

    /// <summary>
    /// The trunk of <paramref name="number"/>'s tenant that the carrier <paramref name="peerId"/> (by its certificate)
    /// serves: the number's own trunk when it names one, else any of the tenant's trunks to that carrier. Null when the
    /// carrier is none of the tenant's, so a carrier can deliver only to numbers of tenants it carries.
    /// </summary>
    public PstnTrunk? InboundTrunkOf(InboundNumber number, Guid peerId)
    {
        ArgumentNullException.ThrowIfNull(number);
        if (number.TrunkId is { } own)
        {
            return _trunks.GetValueOrDefault(own) is { } trunk && trunk.TenantId == number.TenantId && trunk.Target.PeerId == peerId ? trunk : null;
        }

        return _trunks.Values.Where(t => t.TenantId == number.TenantId && t.Target.PeerId == peerId).OrderBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault();
    }
}
