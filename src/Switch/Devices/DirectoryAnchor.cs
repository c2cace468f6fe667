using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Certificates;

namespace HostedPbx.Switch.Devices;

/// <summary>
/// A trust anchor on record, with where its devices carry their MAC. Only a vendor's certificate may be used before its
/// device is enrolled (it enrols on first provisioning); the platform enrols its own certificates when it issues them.
/// </summary>
internal sealed record DirectoryAnchor(string Name, X509Certificate2 Certificate, MacLocation MacLocation, bool IsVendor = true);
