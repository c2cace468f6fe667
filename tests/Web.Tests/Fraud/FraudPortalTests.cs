using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;
using HostedPbx.Testing;
using HostedPbx.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace HostedPbx.Web.Tests.Fraud;

/// <summary>
/// The toll-fraud page in Chromium (issue 11 item 3): a suspended tenant's admin sees the banner on the tenant's pages,
/// sees today's refusals, is refused a lift without a reason, lifts it with one (audited), and the banner is gone;
/// another tenant's admin gets "Not found" and nothing of the suspension.
/// </summary>
public sealed class FraudPortalTests(Portal portal) : IAsyncLifetime
{
    private const string Reason = "11 international attempts within 5 minutes (more than 10)";
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private TestTenants.Arranged _acme = default!;
    private TestTenants.Arranged _other = default!;

    public async ValueTask InitializeAsync()
    {
        await portal.ResetAsync();
        await using var owner = portal.Database.CreateOwnerContext();
        _acme = await TestTenants.AddAsync(owner, "Acme", "0015650000b1");
        _other = await TestTenants.AddAsync(owner, "Other", "0015650000b2");
        owner.PstnSettings.Add(new PstnSettings { TenantId = _acme.Tenant.Id, OutboundSuspendedAt = DateTimeOffset.UtcNow, SuspensionReason = Reason });
        owner.AuditEvents.Add(new AuditEvent
        {
            OccurredAt = DateTimeOffset.UtcNow, TenantId = _acme.Tenant.Id, ActorKind = AuditActorKind.Device, ActorName = "201",
            Action = FraudAuditActions.Suspend, Outcome = AuditOutcome.Denied, Reason = Reason,
        });
        await owner.SaveChangesAsync(_ct);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task SuspendedTenantsAdmin_SeesTheBanner_LiftsWithAReason_AndTheBannerIsGone()
    {
        var (page, login) = await SignInAsync(_acme.Tenant.Id);
        await Portal.OpenAsync(page, $"/tenants/{_acme.Tenant.Id}");
        await Assertions.Expect(page.GetByTestId("fraud-banner")).ToContainTextAsync(Reason);
        await page.GetByTestId("fraud-banner").GetByRole(AriaRole.Link).ClickAsync();
        await page.WaitForURLAsync($"**/tenants/{_acme.Tenant.Id}/fraud");
        await Portal.OpenAsync(page, $"/tenants/{_acme.Tenant.Id}/fraud");
        await Assertions.Expect(page.GetByTestId("fraud-banner")).ToContainTextAsync("Emergency numbers still go through");
        await Assertions.Expect(page.Locator($"tr[data-check='{FraudAuditActions.Suspend}']")).ToContainTextAsync("1");
        await Portal.ScreenshotAsync(page, "fraud-suspended");

        await page.ClickAsync("[data-testid=suspension] button:has-text('Lift')");
        await Assertions.Expect(page.GetByTestId("lift-problem")).ToHaveTextAsync("A reason for lifting the suspension (at most 500 characters) is required.");
        await page.FillAsync("#lift-reason", "our own sales team, calls confirmed");
        await page.Locator("#lift-reason").BlurAsync();
        await page.ClickAsync("[data-testid=suspension] button:has-text('Lift')");

        await Assertions.Expect(page.GetByTestId("lifted")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("fraud-banner")).ToHaveCountAsync(0);
        await Portal.OpenAsync(page, $"/tenants/{_acme.Tenant.Id}");
        await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync("Acme");
        await Assertions.Expect(page.GetByTestId("fraud-banner")).ToHaveCountAsync(0);
        await using var owner = portal.Database.CreateOwnerContext();
        Assert.Null((await owner.PstnSettings.AsNoTracking().SingleAsync(s => s.TenantId == _acme.Tenant.Id, _ct)).OutboundSuspendedAt);
        var audit = await owner.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == FraudAuditActions.Resume, _ct);
        Assert.Equal(login, audit.ActorName);
        Assert.Contains("our own sales team, calls confirmed", audit.Reason, StringComparison.Ordinal);
        Assert.Contains(Reason, audit.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherTenantsAdmin_GetsNotFound_AndSeesNothingOfTheSuspension()
    {
        var (page, _) = await SignInAsync(_other.Tenant.Id);
        await Portal.OpenAsync(page, $"/tenants/{_acme.Tenant.Id}/fraud");

        await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync("Not found");
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync(Reason);
        await Assertions.Expect(page.Locator("#lift-reason")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Admin_SavesGuards_ABadPrefixIsRefusedInWords_ThenSavedAndAudited()
    {
        var (page, _) = await SignInAsync(_acme.Tenant.Id);
        await Portal.OpenAsync(page, $"/tenants/{_acme.Tenant.Id}/fraud");

        await page.FillAsync("#fraud-blocked", "4990");
        await page.ClickAsync("main button:has-text('Save guards')");
        await Assertions.Expect(page.GetByTestId("settings-problem")).ToHaveTextAsync("'4990' is not an E.164 prefix: + and up to 15 digits, e.g. +4990.");
        await page.FillAsync("#fraud-blocked", "+4990");
        await page.FillAsync("#fraud-allowed", "DE GB");
        await page.FillAsync("#fraud-burst-attempts", "20");
        await page.Locator("#fraud-burst-attempts").BlurAsync();
        await page.ClickAsync("main button:has-text('Save guards')");
        await Assertions.Expect(page.GetByTestId("settings-saved")).ToBeVisibleAsync();

        await using var owner = portal.Database.CreateOwnerContext();
        var settings = await owner.PstnSettings.AsNoTracking().SingleAsync(s => s.TenantId == _acme.Tenant.Id, _ct);
        Assert.Equal(["+4990"], settings.BlockedPrefixes);
        Assert.Equal(["DE", "GB"], settings.AllowedCountries);
        Assert.Equal(20, settings.BurstAttempts);
        Assert.NotNull(settings.OutboundSuspendedAt);
        Assert.Contains("burst 20 in 5 min", (await owner.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == "fraud-settings.update", _ct)).Reason, StringComparison.Ordinal);
    }

    private async Task<(IPage Page, string Login)> SignInAsync(Guid tenantId)
    {
        var (login, password) = await portal.AddUserAsync(PortalRole.TenantAdmin, tenantId: tenantId);
        var page = await portal.NewPageAsync();
        await Portal.SignInAsync(page, login, password);
        await Assertions.Expect(page.Locator("nav.side")).ToBeVisibleAsync();
        return (page, login);
    }
}
