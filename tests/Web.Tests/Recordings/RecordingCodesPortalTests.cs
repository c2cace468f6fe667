using HostedPbx.Data.Entities;
using HostedPbx.Testing;
using HostedPbx.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace HostedPbx.Web.Tests.Recordings;

/// <summary>
/// The tenant admin chooses the tenant's in-call recording codes on the recording settings page: a clash with the
/// voicemail number is refused in words and stores nothing; <c>*5</c> and <c>*6</c> are stored and audited.
/// </summary>
public sealed class RecordingCodesPortalTests(Portal portal) : IAsyncLifetime
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;
    private TestTenants.Arranged _acme = default!;

    public async ValueTask InitializeAsync()
    {
        await portal.ResetAsync();
        await using var owner = portal.Database.CreateOwnerContext();
        _acme = await TestTenants.AddAsync(owner, "Acme", "0015650000c1");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task TenantAdmin_ClashIsRefusedInWords_ThenStarFiveAndStarSixAreStoredAndAudited()
    {
        var (login, password) = await portal.AddUserAsync(PortalRole.TenantAdmin, tenantId: _acme.Tenant.Id);
        var page = await portal.NewPageAsync();
        await Portal.SignInAsync(page, login, password);
        await Assertions.Expect(page.Locator("nav.side")).ToBeVisibleAsync();
        await Portal.OpenAsync(page, $"/tenants/{_acme.Tenant.Id}/recording-settings");
        await Assertions.Expect(page.Locator("#code-start-stop")).ToHaveValueAsync("*1");

        await page.FillAsync("#code-start-stop", "*9");
        await page.ClickAsync("main button:has-text('Save codes')");
        await Assertions.Expect(page.GetByTestId("codes-problem")).ToHaveTextAsync("The start/stop code *9 clashes with the voicemail access number *97.");
        await page.FillAsync("#code-start-stop", "*5");
        await page.FillAsync("#code-pause", "*6");
        await page.ClickAsync("main button:has-text('Save codes')");
        await Assertions.Expect(page.GetByTestId("codes-saved")).ToHaveTextAsync("Saved: *5 starts and stops, *6 pauses and resumes.");

        await using var owner = portal.Database.CreateOwnerContext();
        var tenant = await owner.Tenants.AsNoTracking().SingleAsync(t => t.Id == _acme.Tenant.Id, _cancel);
        Assert.Equal(("*5", "*6"), (tenant.RecordingStartStopCode, tenant.RecordingPauseCode));
        var audited = await owner.AuditEvents.AsNoTracking().Where(e => e.ActorName == login && e.Action == "recording.feature-codes").Select(e => e.Reason).ToListAsync(_cancel);
        Assert.Equal(["start/stop *1 → *5, pause/resume *2 → *6"], audited);
    }
}
