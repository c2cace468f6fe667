using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;
using HostedPbx.Provisioning.Tests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Tests.Pstn;

/// <summary>
/// <c>GET …/fraud-settings/today</c>: the tenant's external minutes from its call records and its refusals from the audit
/// log, counted by the check that refused them; nothing of another tenant's. The lift needs a reason.
/// </summary>
public sealed class FraudTodayApiTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly ProvisioningFactory _factory = new(database);
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private HttpClient _reseller = null!;
    private TestTenants.Arranged _acme = null!;
    private TestTenants.Arranged _other = null!;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        await using var owner = database.CreateOwnerContext();
        _acme = await TestTenants.AddAsync(owner, "Acme", "0015651a0001");
        _other = await TestTenants.AddAsync(owner, "Other", "0015651a0002");
        _reseller = _factory.ClientWithKey(await _factory.AddKeyAsync(_acme.Reseller.Id, "reseller"));
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Today_CountsOwnExternalMinutesAndRefusalsByCheck_NotAnotherTenants()
    {
        var now = DateTimeOffset.UtcNow;
        await using (var owner = database.CreateOwnerContext())
        {
            // 1.5 minutes out, 1 minute in, one emergency call; and the same again for the other tenant, which must not count.
            foreach (var tenant in new[] { _acme.Tenant.Id, _other.Tenant.Id })
            {
                owner.CallRecords.AddRange(
                    Call(tenant, CallType.OutboundPstn, now.AddSeconds(-100), 90, emergency: false),
                    Call(tenant, CallType.OutboundPstn, now.AddSeconds(-50), 0, emergency: true),
                    Call(tenant, CallType.InboundPstn, now.AddSeconds(-80), 60, emergency: false),
                    Call(tenant, CallType.ExtensionToExtension, now.AddSeconds(-80), 600, emergency: false));
                owner.AuditEvents.AddRange(
                    Refusal(tenant, FraudAuditActions.BlockedRange, now.AddSeconds(-30), "+499001234567 is in a blocked range: +49900 Premium rate"),
                    Refusal(tenant, FraudAuditActions.BlockedRange, now.AddSeconds(-20), "+499001234568 is in a blocked range: +49900 Premium rate"),
                    Refusal(tenant, FraudAuditActions.Suspend, now.AddSeconds(-10), "11 international attempts within 5 minutes (more than 10)"));
            }

            await owner.SaveChangesAsync(_ct);
        }

        var today = await _reseller.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{_acme.Tenant.Id}/fraud-settings/today", _ct);
        var theirs = await _reseller.GetAsync($"/api/v1/tenants/{_other.Tenant.Id}/fraud-settings/today", _ct);

        Assert.Equal((2, 1.5, 1.0, 1, 3), (today.GetProperty("outboundCalls").GetInt32(), today.GetProperty("outboundMinutes").GetDouble(),
            today.GetProperty("inboundMinutes").GetDouble(), today.GetProperty("emergencyCalls").GetInt32(), today.GetProperty("refusals").GetInt32()));
        var byCheck = today.GetProperty("byCheck").EnumerateArray().ToDictionary(c => c.GetProperty("action").GetString()!, c => c.GetProperty("count").GetInt32());
        Assert.Equal(new Dictionary<string, int> { [FraudAuditActions.BlockedRange] = 2, [FraudAuditActions.Suspend] = 1 }, byCheck);
        Assert.Equal("11 international attempts within 5 minutes (more than 10)", today.GetProperty("latest")[0].GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
    }

    [Fact]
    public async Task LiftSuspension_WithoutAReason_Returns400AndStaysSuspended()
    {
        await using (var owner = database.CreateOwnerContext())
        {
            owner.PstnSettings.Add(new PstnSettings { TenantId = _acme.Tenant.Id, OutboundSuspendedAt = TestClock.Now, SuspensionReason = "burst" });
            await owner.SaveChangesAsync(_ct);
        }

        var response = await _reseller.PostAsJsonAsync($"/api/v1/tenants/{_acme.Tenant.Id}/fraud-settings/lift-suspension", new { reason = " " }, _ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("A reason for lifting the suspension", await response.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);
        await using var check = database.CreateOwnerContext();
        Assert.NotNull((await check.PstnSettings.SingleAsync(s => s.TenantId == _acme.Tenant.Id, _ct)).OutboundSuspendedAt);
    }

    private static CallRecord Call(Guid tenant, CallType type, DateTimeOffset started, int talkSeconds, bool emergency) => new()
    {
        TenantId = tenant, SipCallId = Guid.NewGuid().ToString("N"), Type = type, FromParty = "201", ToParty = emergency ? "112" : "+4930123456",
        StartedAt = started, AnsweredAt = talkSeconds > 0 ? started : null, EndedAt = started.AddSeconds(Math.Max(talkSeconds, 5)),
        Outcome = talkSeconds > 0 ? CallOutcome.Answered : CallOutcome.NoAnswer, Emergency = emergency,
    };

    private static AuditEvent Refusal(Guid tenant, string action, DateTimeOffset at, string reason) => new()
    {
        OccurredAt = at, TenantId = tenant, ActorKind = AuditActorKind.Device, ActorName = "201", Action = action, TargetKind = "tenant",
        TargetId = tenant.ToString(), Outcome = AuditOutcome.Denied, Reason = reason,
    };
}
