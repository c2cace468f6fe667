namespace HostedPbx.Provisioning.Features.Vendors;

// One IANA zone in each vendor's notation. Offsets and transitions drive the numeric formats (Polycom, Cisco); the names are
// the entries of the vendors' own lists (Yealink local_time.time_zone_name, Snom timezone, Grandstream P64).
internal sealed record HandsetTimeZone(
    string IanaId,
    int StandardOffsetMinutes,
    DaylightTransition? DaylightStart,
    DaylightTransition? DaylightEnd,
    string YealinkName,
    string SnomName,
    string GrandstreamRule)
{
    public bool HasDaylightSaving => DaylightStart is not null;
}
