using System.Collections.Frozen;

namespace HostedPbx.Provisioning.Features.Vendors;

// IANA zones the templates can express. An id not in the table falls back to UTC rather than guessing: the handset then
// shows UTC, which is wrong in a visible way, never silently an hour off.
internal static class HandsetTimeZones
{
    private static readonly DaylightTransition s_euStartGmt = new(3, -1, 1);
    private static readonly DaylightTransition s_euEndGmt = new(10, -1, 2);
    private static readonly DaylightTransition s_euStartCet = new(3, -1, 2);
    private static readonly DaylightTransition s_euEndCet = new(10, -1, 3);
    private static readonly DaylightTransition s_usStart = new(3, 2, 2);
    private static readonly DaylightTransition s_usEnd = new(11, 1, 2);

    public static readonly HandsetTimeZone Utc = new("UTC", 0, null, null, "GMT", "GMT-0", "UTC0");

    private static readonly FrozenDictionary<string, HandsetTimeZone> s_zones = new HandsetTimeZone[]
    {
        Utc,
        Utc with { IanaId = "Etc/UTC" },
        new("Europe/London", 0, s_euStartGmt, s_euEndGmt, "United Kingdom(London)", "GBR-0", "GMT0BST-1,M3.5.0/01:00:00,M10.5.0/02:00:00"),
        new("Europe/Berlin", 60, s_euStartCet, s_euEndCet, "Germany(Berlin)", "GER+1", "CET-1CEST-2,M3.5.0/02:00:00,M10.5.0/03:00:00"),
        new("Europe/Paris", 60, s_euStartCet, s_euEndCet, "France(Paris)", "FRA+1", "CET-1CEST-2,M3.5.0/02:00:00,M10.5.0/03:00:00"),
        new("America/New_York", -300, s_usStart, s_usEnd, "United States-Eastern Time", "USA-5", "EST5EDT"),
        new("America/Chicago", -360, s_usStart, s_usEnd, "United States-Central Time", "USA-6", "CST6CDT"),
        new("America/Denver", -420, s_usStart, s_usEnd, "United States-Mountain Time", "USA-7", "MST7MDT"),
        new("America/Los_Angeles", -480, s_usStart, s_usEnd, "United States-Pacific Time", "USA-8", "PST8PDT"),
    }.ToFrozenDictionary(zone => zone.IanaId, StringComparer.Ordinal);

    public static bool IsKnown(string ianaId) => s_zones.ContainsKey(ianaId);

    // The zone for ianaId, or Utc when the table has no entry for it.
    public static HandsetTimeZone Resolve(string ianaId) => s_zones.GetValueOrDefault(ianaId, Utc);
}
