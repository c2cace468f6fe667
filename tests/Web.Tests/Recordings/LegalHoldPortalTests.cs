using HostedPbx.Data.Entities;
using HostedPbx.Data.Recordings;
using HostedPbx.Data.Tenancy;
using HostedPbx.Testing;
using HostedPbx.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace HostedPbx.Web.Tests.Recordings;

/// <summary>
/// Legal holds in Chromium (issue 10 item 6, "place and lift holds"): the compliance officer places a hold on a recording
/// from its row, the retention pass then keeps it while deleting what no hold covers, and once the officer lifts the
/// hold (with a reason) the next pass deletes it; an empty reason is refused in words; another tenant's officer sees
/// "Not found" and nothing of the hold.
/// </summary>
public sealed class LegalHoldPortalTests(Portal portal) : IAsyncLifetime
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;
    private TestTenants.Arranged _acme = default!;
    private TestTenants.Arranged _other = default!;
    private Recording _held = default!;
    private Recording _unheld = default!;

    public async ValueTask InitializeAsync()
    {
        await portal.ResetAsync();
        await using (var owner = portal.Database.CreateOwnerContext())
        {
            _acme = await TestTenants.AddAsync(owner, "Acme", "0015650000d1");
            _other = await TestTenants.AddAsync(owner, "Other", "0015650000d2");
        }

        (_unheld, _) = await TestRecordings.AddAsync(portal.Database, portal.RecordingsDirectory, _acme.Tenant.Id, Portal.MasterKey, "203", "204");
        (_held, _) = await TestRecordings.AddAsync(portal.Database, portal.RecordingsDirectory, _acme.Tenant.Id, Portal.MasterKey, "201", "+4930123456");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Officer_PlacesHoldOnARecording_RetentionKeepsIt_LiftsIt_ThenRetentionDeletesIt()
    {
        var (page, login) = await SignInAsync(_acme.Tenant.Id);
        await Portal.OpenAsync(page, $"/tenants/{_acme.Tenant.Id}/recordings");
        var row = page.Locator($"tr[data-recording='{_held.Id}']");
        await Assertions.Expect(row.GetByRole(AriaRole.Link, new() { Name = "Place hold" }))
            .ToHaveAttributeAsync("href", $"/tenants/{_acme.Tenant.Id}/legal-holds?recording={_held.Id}");
        await Portal.OpenAsync(page, $"/tenants/{_acme.Tenant.Id}/legal-holds?recording={_held.Id}");
        await Assertions.Expect(page.Locator("#hold-recording")).ToHaveValueAsync(_held.Id.ToString());

        await page.ClickAsync("main button:has-text('Place hold')");
        await Assertions.Expect(page.GetByTestId("place-problem")).ToHaveTextAsync("A reason for placing the hold (at most 500 characters) is required.");
        await page.FillAsync("#hold-reason", "case 2026-17");
        await page.ClickAsync("main button:has-text('Place hold')");
        var hold = page.Locator("table[data-testid=legal-holds] tbody tr");
        await Assertions.Expect(hold).ToHaveCountAsync(1);
        await Assertions.Expect(hold).ToContainTextAsync($"recording {_held.Id}");
        await Assertions.Expect(hold).ToContainTextAsync("case 2026-17");
        await Assertions.Expect(hold).ToContainTextAsync(login);
        await Assertions.Expect(hold).ToHaveAttributeAsync("data-in-force", "yes");
        await Portal.ScreenshotAsync(page, "legal-hold-placed");

        var kept = await RetentionAsync();
        Assert.Equal(new RecordingRetentionResult(Deleted: 1, Held: 1), kept);
        Assert.Equal((RecordingStatus.Complete, RecordingStatus.Deleted), (await StatusAsync(_held.Id), await StatusAsync(_unheld.Id)));

        await hold.GetByRole(AriaRole.Button, new() { Name = "Lift" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("lift-problem")).ToHaveTextAsync("A reason for lifting the hold (at most 500 characters) is required.");
        await hold.GetByRole(AriaRole.Textbox, new() { Name = "Reason for lifting" }).FillAsync("case closed");
        await hold.GetByRole(AriaRole.Textbox, new() { Name = "Reason for lifting" }).BlurAsync();
        await hold.GetByRole(AriaRole.Button, new() { Name = "Lift" }).ClickAsync();
        await Assertions.Expect(hold).ToHaveAttributeAsync("data-in-force", "no");
        await Assertions.Expect(hold).ToContainTextAsync("case closed");

        var afterLift = await RetentionAsync();
        Assert.Equal(new RecordingRetentionResult(Deleted: 1, Held: 0), afterLift);
        Assert.Equal(RecordingStatus.Deleted, await StatusAsync(_held.Id));
        await using var owner = portal.Database.CreateOwnerContext();
        var audited = await owner.AuditEvents.AsNoTracking().Where(e => e.ActorName == login && e.TargetKind == "legal-hold")
            .OrderBy(e => e.OccurredAt).Select(e => new { e.Action, e.Reason }).ToListAsync(_cancel);
        Assert.Equal(["legal-hold.place", "legal-hold.lift"], audited.Select(e => e.Action));
        Assert.Contains("case closed", audited[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherTenantsOfficer_GetsNotFound_AndSeesNothingOfTheHold()
    {
        await using (var owner = portal.Database.CreateOwnerContext())
        {
            owner.LegalHolds.Add(new LegalHold
            {
                TenantId = _acme.Tenant.Id, Scope = LegalHoldScope.Recording, RecordingId = _held.Id, Reason = "secret matter 4711", PlacedBy = "officer", PlacedAt = TestClock.Now,
            });
            await owner.SaveChangesAsync(_cancel);
        }

        var (page, _) = await SignInAsync(_other.Tenant.Id);
        await Portal.OpenAsync(page, $"/tenants/{_acme.Tenant.Id}/legal-holds");

        await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync("Not found");
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("secret matter 4711");
        await Assertions.Expect(page.Locator("main button:has-text('Place hold')")).ToHaveCountAsync(0);
    }

    // The nightly pass, a year after the recordings were made (past the 90-day default).
    private async Task<RecordingRetentionResult> RetentionAsync()
    {
        await using var db = portal.Database.CreateAppContext(DbScope.System);
        return await new RecordingRetention(portal.RecordingsDirectory, new FixedTime(TestClock.Now.AddDays(365))).RunAsync(db, _cancel);
    }

    private async Task<RecordingStatus> StatusAsync(Guid id)
    {
        await using var owner = portal.Database.CreateOwnerContext();
        return await owner.Recordings.AsNoTracking().Where(r => r.Id == id).Select(r => r.Status).SingleAsync(_cancel);
    }

    private async Task<(IPage Page, string Login)> SignInAsync(Guid tenantId)
    {
        var (login, password) = await portal.AddUserAsync(PortalRole.ComplianceOfficer, tenantId: tenantId);
        var page = await portal.NewPageAsync();
        await Portal.SignInAsync(page, login, password);
        await page.WaitForURLAsync("**/account/enrol**");
        var key = await page.GetByTestId("shared-key").InnerTextAsync();
        await page.FillAsync("#code", Totp.Code(key, DateTimeOffset.UtcNow));
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(portal.BaseUrl + "");
        await Assertions.Expect(page.Locator("nav.side")).ToBeVisibleAsync();
        return (page, login);
    }
}
