using HostedPbx.Data.Devices;
using HostedPbx.Data.Entities;

namespace HostedPbx.Provisioning.Features.Vendors;

/// <summary>
/// Everything a handset needs to register with the switch over TLS and to insist on SRTP. The templates are pure functions
/// of this record, so it carries values, not entities: ServeConfig fills it from the device, its lines and the options.
/// </summary>
public sealed record HandsetConfigModel
{
    public required MacAddress Mac { get; init; }

    public required DeviceVendor Vendor { get; init; }

    public required string Model { get; init; }

    /// <summary>Host name or IP literal the handset connects to and verifies in the switch's certificate.</summary>
    public required string SwitchHost { get; init; }

    public required int SwitchPort { get; init; }

    /// <summary>
    /// A second switch (node) the handset turns to when the first refuses it (503 while draining, RFC 3263 §4.3) or is
    /// gone, in each vendor's own keys over TLS; null writes no such key and leaves the file as it was without one.
    /// </summary>
    public string? BackupSwitchHost { get; init; }

    /// <summary>The backup's port; null means the same port as <see cref="SwitchPort"/>.</summary>
    public int? BackupSwitchPort { get; init; }

    /// <summary>Bound extensions in line order: positions 1..n without gaps.</summary>
    public required IReadOnlyList<HandsetLine> Lines { get; init; }

    /// <summary>The trust anchor that verifies the switch, as PEM text, for vendors that take it inline (Polycom, Snom, Grandstream).</summary>
    public required string SwitchCaPem { get; init; }

    /// <summary>The same anchor at an HTTPS URL, for vendors that fetch it (Yealink, Cisco); they refuse to render without it.</summary>
    public Uri? SwitchCaUrl { get; init; }

    public required string VoicemailNumber { get; init; }

    /// <summary>IANA id (<c>Europe/Berlin</c>); ids outside <see cref="HandsetTimeZones"/> fall back to UTC.</summary>
    public required string TimeZone { get; init; }

    /// <summary>Required for <see cref="DeviceVendor.Baresip"/>, ignored by the others.</summary>
    public BaresipSettings? Baresip { get; init; }
}
