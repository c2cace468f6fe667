namespace HostedPbx.Data.Pstn;

/// <summary>
/// How people in one country dial (ITU-T E.164 country code, national trunk prefix, international prefix) and its
/// emergency numbers. The table holds the countries the platform sells in; a tenant's country must be one of them.
/// </summary>
public sealed record CountryDialPlan(string Iso, string CallingCode, string TrunkPrefix, string InternationalPrefix,
    IReadOnlyList<string> EmergencyNumbers)
{
    // Emergency numbers: EU 112 everywhere (Directive (EU) 2018/1972 art. 109) beside the national ones.
    public static readonly IReadOnlyList<CountryDialPlan> All =
    [
        new("DE", "49", "0", "00", ["112", "110"]),
        new("AT", "43", "0", "00", ["112", "122", "133", "144"]),
        new("CH", "41", "0", "00", ["112", "117", "118", "144"]),
        new("GB", "44", "0", "00", ["999", "112"]),
        new("IE", "353", "0", "00", ["112", "999"]),
        new("FR", "33", "0", "00", ["112", "15", "17", "18"]),
        new("NL", "31", "0", "00", ["112"]),
        new("BE", "32", "0", "00", ["112", "101"]),
        new("SE", "46", "0", "00", ["112"]),
        new("ES", "34", "", "00", ["112", "091"]),
        new("IT", "39", "", "00", ["112", "113"]),
        new("PL", "48", "", "00", ["112", "997"]),
        new("US", "1", "1", "011", ["911"]),
        new("CA", "1", "1", "011", ["911"]),
        new("AU", "61", "0", "0011", ["000", "112"]),
    ];

    public static CountryDialPlan? Find(string? iso) =>
        All.FirstOrDefault(p => string.Equals(p.Iso, iso, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The countries an E.164 number may belong to, by its country code (longest match). +1 is shared by the North
    /// American plan, so it names both US and CA; a code outside the table gives its own text, e.g. "+234".
    /// </summary>
    public static IReadOnlyList<string> CountriesOf(string e164)
    {
        ArgumentNullException.ThrowIfNull(e164);
        var digits = e164.TrimStart('+');
        var best = All.Where(p => digits.StartsWith(p.CallingCode, StringComparison.Ordinal))
            .GroupBy(p => p.CallingCode.Length).MaxBy(g => g.Key);
        return best is null ? [UnknownCountry(digits)] : [.. best.Select(p => p.Iso)];
    }

    public bool IsEmergency(string dialled) => EmergencyNumbers.Contains(dialled, StringComparer.Ordinal);

    // ITU-T E.164 country codes are 1 to 3 digits; without a table entry the first three name the region well enough.
    private static string UnknownCountry(string digits) => "+" + digits[..Math.Min(3, digits.Length)];
}
