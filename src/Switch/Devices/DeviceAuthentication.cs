using System.Diagnostics.CodeAnalysis;

namespace HostedPbx.Switch.Devices;

/// <summary>The outcome of checking a client certificate: an identity, or the reason for the refusal (for the audit only).</summary>
internal sealed record DeviceAuthentication(DeviceIdentity? Identity, string? Refusal, string? Mac)
{
    [MemberNotNullWhen(true, nameof(Identity))]
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool Succeeded => Identity is not null;

    public static DeviceAuthentication Refused(string reason, string? mac = null) => new(null, reason, mac);
}
