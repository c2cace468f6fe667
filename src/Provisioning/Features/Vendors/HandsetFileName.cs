using System.Diagnostics.CodeAnalysis;
using HostedPbx.Data.Devices;
using HostedPbx.Data.Entities;

namespace HostedPbx.Provisioning.Features.Vendors;

/// <summary>
/// Reads the file name of a <c>/provision/{name}</c> request. The MAC is the 12 hex digits handsets put in the name, in
/// either case; anything else (separators, paths, other names) is not a provisioning file.
/// </summary>
public static class HandsetFileName
{
    private const int MacDigits = 12;

    /// <summary>
    /// <c>{mac}.pem</c>: the renewal of the handset's certificate, with its key, served once to the handset that proves
    /// the certificate it renews. Every vendor's handset may ask for it.
    /// </summary>
    public const string RenewalSuffix = ".pem";

    private static readonly (string Prefix, string Suffix, DeviceVendor[] Vendors)[] s_patterns =
    [
        ("cfg", ".xml", [DeviceVendor.Grandstream]),
        ("", "-phone.cfg", [DeviceVendor.Polycom]),
        ("", ".cfg", [DeviceVendor.Yealink, DeviceVendor.Polycom]),
        ("", ".xml", [DeviceVendor.Snom, DeviceVendor.Cisco]),
        ("", BaresipTemplate.ConfigSuffix, [DeviceVendor.Baresip]),
        ("", BaresipTemplate.AccountsSuffix, [DeviceVendor.Baresip]),
        ("", RenewalSuffix, Enum.GetValues<DeviceVendor>()),
    ];

    public static bool TryParse(string? fileName, [NotNullWhen(true)] out HandsetFileRequest? request)
    {
        request = null;
        if (fileName is null)
        {
            return false;
        }

        foreach (var (prefix, suffix, vendors) in s_patterns)
        {
            if (fileName.Length != prefix.Length + MacDigits + suffix.Length
                || !fileName.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                || !fileName.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // Twelve characters leave MacAddress only its bare form (separated forms are 14 or 17 long): hex digits only.
            if (MacAddress.TryParse(fileName.AsSpan(prefix.Length, MacDigits), out var mac))
            {
                request = new HandsetFileRequest(mac, prefix + mac.ToString() + suffix, vendors);
                return true;
            }
        }

        return false;
    }
}
