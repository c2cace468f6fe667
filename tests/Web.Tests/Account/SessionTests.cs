using HostedPbx.Data.Entities;
using HostedPbx.Testing;
using HostedPbx.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace HostedPbx.Web.Tests.Account;

/// <summary>Sessions follow changes: an open tab ends when its user is locked, and a suspended tenant's users cannot sign in.</summary>
public sealed class SessionTests(Portal portal) : IAsyncLifetime
{
    private TestTenants.Arranged _acme = default!;

    public async ValueTask InitializeAsync()
    {
        await portal.ResetAsync();
        await using var owner = portal.Database.CreateOwnerContext();
        _acme = await TestTenants.AddAsync(owner, "Acme", "0015650000f1");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task UserLockedInOneBrowser_IsSignedOutOfAnotherOpenTabWithinAMinute()
    {
        var (login, password) = await portal.AddUserAsync(PortalRole.TenantAdmin, tenantId: _acme.Tenant.Id);
        var open = await portal.NewPageAsync();
        await Portal.SignInAsync(open, login, password);
        await Portal.OpenAsync(open, $"/tenants/{_acme.Tenant.Id}/extensions");

        // Someone else, in another browser, locks the account with wrong passwords.
        var other = await portal.NewPageAsync();
        for (var i = 0; i < 5; i++)
        {
            await Portal.SignInAsync(other, login, "wrong-" + i);
        }

        await Assertions.Expect(other.GetByRole(AriaRole.Alert)).ToContainTextAsync("locked");

        // The portal checks each circuit's user again (every 2 s here, at most every minute in production).
        await open.WaitForURLAsync("**/account/sign-in**", new() { Timeout = 60_000 });
        await open.GotoAsync($"/tenants/{_acme.Tenant.Id}/extensions");
        await open.WaitForURLAsync("**/account/sign-in**");
    }

    [Fact]
    public async Task SignIn_UserOfSuspendedTenant_RefusedAndAudited()
    {
        var (login, password) = await portal.AddUserAsync(PortalRole.TenantAdmin, tenantId: _acme.Tenant.Id);
        await using (var owner = portal.Database.CreateOwnerContext())
        {
            await owner.Tenants.Where(t => t.Id == _acme.Tenant.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TenantStatus.Suspended).SetProperty(t => t.SuspendedAt, DateTimeOffset.UtcNow),
                    TestContext.Current.CancellationToken);
        }

        var page = await portal.NewPageAsync();
        await Portal.SignInAsync(page, login, password);

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("suspended");
        await page.GotoAsync($"/tenants/{_acme.Tenant.Id}");
        await page.WaitForURLAsync("**/account/sign-in**");
        await using var check = portal.Database.CreateOwnerContext();
        Assert.True(await check.AuditEvents.AnyAsync(a => a.ActorName == login && a.Reason == "the user's tenant is not active",
            TestContext.Current.CancellationToken));
    }
}
