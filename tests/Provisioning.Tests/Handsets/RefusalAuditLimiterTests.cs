using System.Net;
using HostedPbx.Provisioning.Features.Handsets;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Provisioning.Tests.Handsets;

/// <summary>Refusals are audited one by one up to the rate per address; the rest are counted and the count handed on.</summary>
public sealed class RefusalAuditLimiterTests
{
    private static readonly IPAddress s_stranger = IPAddress.Parse("192.0.2.7");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 5, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Admit_OverTheRate_CountsTheRestAndHandsTheCountToTheNextMinute()
    {
        var limiter = new RefusalAuditLimiter(Options.Create(new ProvisioningOptions { RefusalAuditsPerMinute = 3 }), _time);

        var first = Enumerable.Range(0, 7).Select(_ => limiter.Admit(s_stranger)).ToList();
        _time.Advance(TimeSpan.FromMinutes(1));
        var next = limiter.Admit(s_stranger);
        var again = limiter.Admit(s_stranger);

        Assert.Equal([true, true, true, false, false, false, false], first.Select(a => a.Audit));
        Assert.All(first, a => Assert.Equal(0, a.Unaudited));
        Assert.Equal(new RefusalAuditLimiter.Admission(true, 4), next);
        Assert.Equal(new RefusalAuditLimiter.Admission(true, 0), again);
    }

    [Fact]
    public void Admit_AnotherAddress_HasItsOwnRate()
    {
        var limiter = new RefusalAuditLimiter(Options.Create(new ProvisioningOptions { RefusalAuditsPerMinute = 1 }), _time);
        limiter.Admit(s_stranger);

        Assert.False(limiter.Admit(s_stranger).Audit);
        Assert.True(limiter.Admit(IPAddress.Parse("192.0.2.8")).Audit);
    }
}
