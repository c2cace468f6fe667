using System.Collections.Frozen;
using HostedPbx.Data.Certificates;

namespace HostedPbx.Switch.Devices;

/// <summary>An immutable snapshot of the trust anchors, revocations and devices, swapped whole on refresh.</summary>
internal sealed class DeviceDirectory(
    IReadOnlyList<DirectoryAnchor> anchors,
    IRevocationLookup revocations,
    IEnumerable<DirectoryDevice> devices,
    IEnumerable<DirectoryExtension>? extensions = null,
    IReadOnlyDictionary<Guid, IReadOnlyList<string>>? tenantSuites = null,
    IReadOnlyDictionary<Guid, (int MaxConcurrentCalls, bool AnnounceUnknownNumbers)>? tenantCalls = null,
    IReadOnlyDictionary<Guid, string>? mailboxAccessNumbers = null)
{
    /// <summary>Tenant.MaxConcurrentCalls's default, for a tenant the snapshot does not know.</summary>
    private const int DefaultCallLimit = 10;

    private readonly FrozenDictionary<(Guid, string), DirectoryExtension> _extensions =
        (extensions ?? []).ToFrozenDictionary(e => (e.TenantId, e.Number));

    private readonly IReadOnlyDictionary<Guid, IReadOnlyList<string>> _tenantSuites = tenantSuites ?? new Dictionary<Guid, IReadOnlyList<string>>();

    private readonly FrozenDictionary<string, DirectoryDevice> _devices =
        devices.ToFrozenDictionary(d => d.Mac, StringComparer.Ordinal);

    private HandsetTrustSnapshot? _trust;

    public static DeviceDirectory Empty { get; } = new([], RevokedSerials.None, []);

    public IReadOnlyList<DirectoryAnchor> Anchors { get; } = anchors;

    public IRevocationLookup Revocations { get; } = revocations;

    /// <summary>This directory as <see cref="HandsetTrust"/> reads it, made once per directory.</summary>
    public HandsetTrustSnapshot Trust => _trust ??= CreateTrust();

    public bool TryFindExtension(Guid tenantId, string number, out DirectoryExtension extension) =>
        _extensions.TryGetValue((tenantId, number), out extension!);

    /// <summary>The tenant's allowed SRTP suites by name, or the platform default when the tenant is unknown.</summary>
    public IReadOnlyList<string> SuitesOf(Guid tenantId) =>
        _tenantSuites.TryGetValue(tenantId, out var suites) ? suites : HostedPbx.Data.Entities.Tenant.DefaultSrtpSuites;

    /// <summary>The tenant's MaxConcurrentCalls (issue 12: the switch enforces it).</summary>
    public int CallLimitOf(Guid tenantId) =>
        tenantCalls is not null && tenantCalls.TryGetValue(tenantId, out var settings) ? settings.MaxConcurrentCalls : DefaultCallLimit;

    /// <summary>Whether the tenant's callers hear an announcement for a number that does not exist.</summary>
    public bool AnnouncesUnknownNumbers(Guid tenantId) =>
        tenantCalls is not null && tenantCalls.TryGetValue(tenantId, out var settings) && settings.AnnounceUnknownNumbers;

    /// <summary>Whether <paramref name="number"/> is the tenant's own-mailbox number (Tenant.VoicemailAccessNumber; <c>*97</c> unless it says otherwise).</summary>
    public bool IsMailboxAccess(Guid tenantId, string number) =>
        string.Equals(number, mailboxAccessNumbers?.GetValueOrDefault(tenantId) ?? "*97", StringComparison.Ordinal);

    public bool TryFindDevice(string mac, out DirectoryDevice device) => _devices.TryGetValue(mac, out device!);

    private HandsetTrustSnapshot CreateTrust()
    {
        var devices = _devices.ToFrozenDictionary(d => d.Key, d => d.Value.ToHandsetOnRecord(), StringComparer.Ordinal);
        return new HandsetTrustSnapshot([.. Anchors.Select(a => a.ToHandsetAnchor())], Revocations, mac => devices.GetValueOrDefault(mac));
    }
}
