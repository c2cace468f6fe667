using HostedPbx.Data.Devices;
using HostedPbx.Data.Entities;

namespace HostedPbx.Provisioning.Features.Vendors;

/// <summary>
/// A vendor's provisioning format: a pure function from <see cref="HandsetConfigModel"/> to the files the handset fetches.
/// Render throws <see cref="ArgumentException"/> for values it cannot write safely (line breaks in a key=value format,
/// more lines than the vendor has, a missing CA URL): validate upstream, never serve a half-written file.
/// </summary>
public interface IHandsetTemplate
{
    DeviceVendor Vendor { get; }

    /// <summary>The most lines (accounts) this template writes.</summary>
    int MaxLines { get; }

    /// <summary>The names <see cref="Render"/> produces for this MAC, in the order the handset asks for them.</summary>
    IReadOnlyList<string> FileNames(MacAddress mac);

    IReadOnlyList<HandsetFile> Render(HandsetConfigModel model);
}
