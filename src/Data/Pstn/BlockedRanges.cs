namespace HostedPbx.Data.Pstn;

/// <summary>
/// Premium-rate, satellite and shared international ranges that outbound calls never reach unless a tenant's fraud
/// settings are changed by hand to call them (they are not: the list is platform-wide). Each entry names its source.
/// </summary>
public static class BlockedRanges
{
    /// <summary>Where the list comes from; review it when one of these documents changes.</summary>
    public const string Source = "ITU-T E.164 list of assigned country codes (Annex to ITU Operational Bulletin No. 1199, as amended): "
        + "shared codes +870, +881, +882, +883, +979; Bundesnetzagentur numbering plan (0900, 0137, 0118); "
        + "Ofcom National Telephone Numbering Plan (09, 0871-0873, 118); NANPA (1-900, 1-976).";

    public static readonly IReadOnlyList<(string Prefix, string What)> All =
    [
        ("+870", "Inmarsat satellite (ITU-T E.164)"),
        ("+881", "Global Mobile Satellite System (ITU-T E.164)"),
        ("+882", "International Networks (ITU-T E.164)"),
        ("+883", "International Networks (ITU-T E.164)"),
        ("+979", "International Premium Rate Service (ITU-T E.164)"),
        ("+49900", "Premium rate, Germany (Bundesnetzagentur)"),
        ("+49137", "Mass traffic, Germany (Bundesnetzagentur)"),
        ("+49118", "Directory enquiries, Germany (Bundesnetzagentur)"),
        ("+449", "Premium rate, UK (Ofcom)"),
        ("+44871", "Revenue sharing, UK (Ofcom)"),
        ("+44872", "Revenue sharing, UK (Ofcom)"),
        ("+44873", "Revenue sharing, UK (Ofcom)"),
        ("+44118", "Directory enquiries, UK (Ofcom)"),
        ("+1900", "Premium rate, North America (NANPA)"),
        ("+1976", "Premium rate, North America (NANPA)"),
    ];

    /// <summary>
    /// The blocked range the number falls in (the platform's, unless <paramref name="platform"/> is false because the
    /// tenant's admin unblocked them, or the tenant's own), or null.
    /// </summary>
    public static string? Find(string e164, IEnumerable<string> tenantPrefixes, bool platform = true)
    {
        ArgumentNullException.ThrowIfNull(e164);
        ArgumentNullException.ThrowIfNull(tenantPrefixes);
        foreach (var (prefix, what) in platform ? All : [])
        {
            if (e164.StartsWith(prefix, StringComparison.Ordinal))
            {
                return $"{prefix} {what}";
            }
        }

        return tenantPrefixes.FirstOrDefault(p => p.Length > 1 && e164.StartsWith(p, StringComparison.Ordinal)) is { } own
            ? $"{own} blocked by the tenant"
            : null;
    }
}
