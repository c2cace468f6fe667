using System.Collections.Frozen;
using HostedPbx.Data.Certificates;

namespace HostedPbx.Switch.Sip.Transport;

/// <summary>An immutable snapshot of the trust anchors, revocations and devices, swapped whole on refresh.</summary>
internal sealed class DeviceDirectory(
    IReadOnlyList<DirectoryAnchor> anchors,
    IRevocationLookup revocations,
    IEnumerable<DirectoryDevice> devices)
{
    private readonly FrozenDictionary<string, DirectoryDevice> _devices =
        devices.ToFrozenDictionary(d => d.Mac, StringComparer.Ordinal);

    public static DeviceDirectory Empty { get; } = new([], RevokedSerials.None, []);

    public IReadOnlyList<DirectoryAnchor> Anchors { get; } = anchors;

    public IRevocationLookup Revocations { get; } = revocations;

    public bool TryFindDevice(string mac, out DirectoryDevice device) => _devices.TryGetValue(mac, out device!);
}
