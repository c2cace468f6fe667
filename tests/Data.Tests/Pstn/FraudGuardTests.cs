using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;

namespace HostedPbx.Data.Tests.Pstn;

/// <summary>The toll-fraud decision: emergency calls always pass; every other breach is refused with its reason.</summary>
public sealed class FraudGuardTests
{
    private static readonly CountryDialPlan s_germany = CountryDialPlan.Find("DE")!;

    [Theory]
    [InlineData("09001234567", 403, "Destination in a blocked range", "+49900")]
    [InlineData("0087012345678", 403, "Destination in a blocked range", "Inmarsat")]
    [InlineData("00442079460018", 403, "Destination country not allowed", "GB")]
    [InlineData("0012345", 484, "Not a valid telephone number", "not a number")]
    public void Decide_Breach_RefusedWithItsReason(string dialled, int status, string reason, string audit)
    {
        var decision = FraudGuard.Decide(Check(new PstnSettings(), dialled));

        Assert.Equal((FraudVerdict.Refuse, status, reason), (decision.Verdict, decision.SipStatus, decision.SipReason));
        Assert.Contains(audit, decision.AuditReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_OwnCountryWithinLimits_Allowed() =>
        Assert.Equal(FraudVerdict.Allow, FraudGuard.Decide(Check(new PstnSettings(), "030123456")).Verdict);

    [Fact]
    public void Decide_AllowedCountriesNamed_ThoseAndOnlyThosePass()
    {
        var settings = new PstnSettings { AllowedCountries = ["GB", "FR"] };

        Assert.Equal(FraudVerdict.Allow, FraudGuard.Decide(Check(settings, "00442079460018")).Verdict);
        Assert.Equal("Destination country not allowed", FraudGuard.Decide(Check(settings, "030123456")).SipReason);
    }

    [Fact]
    public void Decide_OneInternationalAttemptPastTheBurst_Suspends()
    {
        var settings = new PstnSettings { AllowedCountries = ["DE", "GB"], BurstAttempts = 10 };

        var tenth = FraudGuard.Decide(Check(settings, "00442079460018", recentInternational: 9));
        var eleventh = FraudGuard.Decide(Check(settings, "00442079460018", recentInternational: 10));
        var national = FraudGuard.Decide(Check(settings, "030123456", recentInternational: 10));

        Assert.Equal(FraudVerdict.Allow, tenth.Verdict);
        Assert.Equal((FraudVerdict.Suspend, 403, "Outbound calls suspended"), (eleventh.Verdict, eleventh.SipStatus, eleventh.SipReason));
        Assert.Contains("11 international attempts within 5 minutes", eleventh.AuditReason, StringComparison.Ordinal);
        Assert.Equal(FraudVerdict.Allow, national.Verdict);
    }

    [Theory]
    [InlineData(4, 0, 0, 503, "Too many external calls")]
    [InlineData(0, 120, 0, 403, "External minutes used up")]
    [InlineData(0, 0, 600, 403, "External minutes used up")]
    public void Decide_LimitReached_Refused(int active, double hour, double day, int status, string reason)
    {
        var decision = FraudGuard.Decide(Check(new PstnSettings(), "030123456", active, hour, day));

        Assert.Equal((FraudVerdict.Refuse, status, reason), (decision.Verdict, decision.SipStatus, decision.SipReason));
    }

    [Theory]
    [InlineData("112")]
    [InlineData("110")]
    public void Decide_EmergencyWhileSuspendedAndOverEveryLimit_Allowed(string dialled)
    {
        var settings = new PstnSettings { OutboundSuspendedAt = DateTimeOffset.UnixEpoch, SuspensionReason = "burst", MaxConcurrentExternalCalls = 0 };

        Assert.Equal(FraudVerdict.Allow, FraudGuard.Decide(Check(settings, dialled, 99, 9999, 9999, 99)).Verdict);
        Assert.Equal("Outbound calls suspended", FraudGuard.Decide(Check(settings, "030123456")).SipReason);
    }

    [Fact]
    public void Decide_TenantsOwnBlockedPrefix_Refused()
    {
        var decision = FraudGuard.Decide(Check(new PstnSettings { BlockedPrefixes = ["+4930"] }, "030123456"));

        Assert.Equal("Destination in a blocked range", decision.SipReason);
        Assert.Contains("+4930 blocked by the tenant", decision.AuditReason, StringComparison.Ordinal);
    }

    private static FraudCheck Check(PstnSettings settings, string dialled, int active = 0, double hour = 0, double day = 0, int recentInternational = 0) =>
        new(settings, OutboundDestination.Classify(dialled, CountryDialPlan.Find(settings.Country) ?? s_germany), active, hour, day, recentInternational);
}
