using HostedPbx.Provisioning.Features.Vendors;

namespace HostedPbx.Provisioning.Tests.Features.Vendors;

public sealed class HandsetTimeZonesTests
{
    [Theory]
    [InlineData("UTC", 0, false, "GMT", "GMT-0")]
    [InlineData("Europe/London", 0, true, "United Kingdom(London)", "GBR-0")]
    [InlineData("Europe/Berlin", 60, true, "Germany(Berlin)", "GER+1")]
    [InlineData("America/New_York", -300, true, "United States-Eastern Time", "USA-5")]
    [InlineData("America/Los_Angeles", -480, true, "United States-Pacific Time", "USA-8")]
    public void Resolve_KnownZone_ReturnsItsVendorNotations(string iana, int offset, bool dst, string yealink, string snom)
    {
        var zone = HandsetTimeZones.Resolve(iana);

        Assert.True(HandsetTimeZones.IsKnown(iana));
        Assert.Equal(iana, zone.IanaId);
        Assert.Equal(offset, zone.StandardOffsetMinutes);
        Assert.Equal(dst, zone.HasDaylightSaving);
        Assert.Equal(yealink, zone.YealinkName);
        Assert.Equal(snom, zone.SnomName);
    }

    [Theory]
    [InlineData("Asia/Kathmandu")]
    [InlineData("europe/berlin")]
    [InlineData("")]
    public void Resolve_UnknownZone_FallsBackToUtc(string iana)
    {
        Assert.False(HandsetTimeZones.IsKnown(iana));
        Assert.Same(HandsetTimeZones.Utc, HandsetTimeZones.Resolve(iana));
    }

    [Theory]
    [InlineData("Europe/London")]
    [InlineData("Europe/Berlin")]
    [InlineData("America/New_York")]
    [InlineData("America/Los_Angeles")]
    public void Resolve_KnownZone_AgreesWithTheSystemTimeZoneDatabase(string iana)
    {
        // The table is hand-written; the machine's tzdata checks its offsets and 2026 transition dates.
        var zone = HandsetTimeZones.Resolve(iana);
        var system = TimeZoneInfo.FindSystemTimeZoneById(iana);

        Assert.Equal(TimeSpan.FromMinutes(zone.StandardOffsetMinutes), system.BaseUtcOffset);
        Assert.Equal(TransitionDay(2026, zone.DaylightStart!.Value), FirstDaylightDay(system, 2026));
        Assert.Equal(TransitionDay(2026, zone.DaylightEnd!.Value), FirstDaylightDay(system, 2026, afterMonth: 7));
    }

    private static DateOnly TransitionDay(int year, DaylightTransition t)
    {
        if (t.Week == -1)
        {
            var last = new DateOnly(year, t.Month, DateTime.DaysInMonth(year, t.Month));
            return last.AddDays(-(int)last.DayOfWeek);
        }

        var first = new DateOnly(year, t.Month, 1);
        var firstSunday = first.AddDays(((int)DayOfWeek.Sunday - (int)first.DayOfWeek + 7) % 7);
        return firstSunday.AddDays(7 * (t.Week - 1));
    }

    // The day whose noon differs in daylight state from the previous noon: the start (before July) or the end (after).
    private static DateOnly FirstDaylightDay(TimeZoneInfo zone, int year, int afterMonth = 0)
    {
        var day = new DateOnly(year, afterMonth == 0 ? 1 : afterMonth, 1);
        var before = zone.IsDaylightSavingTime(day.ToDateTime(new TimeOnly(12, 0)));
        while (true)
        {
            day = day.AddDays(1);
            var now = zone.IsDaylightSavingTime(day.ToDateTime(new TimeOnly(12, 0)));
            if (now != before)
            {
                return day;
            }
        }
    }
}
