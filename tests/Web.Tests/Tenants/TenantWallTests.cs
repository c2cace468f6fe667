using HostedPbx.Data.Entities;
using HostedPbx.Testing;
using HostedPbx.Web.Tests.Support;
using Microsoft.Playwright;

namespace HostedPbx.Web.Tests.Tenants;

/// <summary>Another tenant's id typed into the address bar is "not found", for every tenant page.</summary>
public sealed class TenantWallTests(Portal portal) : IAsyncLifetime
{
    private TestTenants.Arranged _mine = default!;
    private TestTenants.Arranged _theirs = default!;

    public async ValueTask InitializeAsync()
    {
        await portal.ResetAsync();
        await using var owner = portal.Database.CreateOwnerContext();
        _mine = await TestTenants.AddAsync(owner, "Mine Ltd", "0015650000a1");
        _theirs = await TestTenants.AddAsync(owner, "Theirs Ltd", "0015650000b1");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData("")]
    [InlineData("/extensions")]
    [InlineData("/handsets")]
    public async Task TenantAdmin_AnotherTenantsPage_SeesNotFound(string suffix)
    {
        var (login, password) = await portal.AddUserAsync(PortalRole.TenantAdmin, tenantId: _mine.Tenant.Id);
        var page = await portal.NewPageAsync();
        await Portal.SignInAsync(page, login, password);
        await Portal.OpenAsync(page, $"/tenants/{_mine.Tenant.Id}{suffix}");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Mine Ltd");

        await Portal.OpenAsync(page, $"/tenants/{_theirs.Tenant.Id}{suffix}");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Not found");
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("Theirs Ltd");
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("0015650000b1");
    }

    [Fact]
    public async Task Reseller_AnotherResellersTenant_SeesNotFoundAndOnlyItsOwnInTheList()
    {
        var (login, password) = await portal.AddUserAsync(PortalRole.ResellerAdmin, resellerId: _mine.Reseller.Id);
        var page = await portal.NewPageAsync();
        await Portal.SignInAsync(page, login, password);
        await Portal.OpenAsync(page, "/tenants");
        await Assertions.Expect(page.GetByTestId("tenants")).ToContainTextAsync("Mine Ltd");
        await Assertions.Expect(page.GetByTestId("tenants")).Not.ToContainTextAsync("Theirs Ltd");
        await Portal.ScreenshotAsync(page, "tenants");

        await Portal.OpenAsync(page, $"/onboard/{_theirs.Tenant.Id}/handsets");
        await Assertions.Expect(page.Locator("main h1").Last).ToHaveTextAsync("Not found");
    }

    [Fact]
    public async Task TenantAdmin_OperatorPage_SeesNotFound()
    {
        var (login, password) = await portal.AddUserAsync(PortalRole.TenantAdmin, tenantId: _mine.Tenant.Id);
        var page = await portal.NewPageAsync();
        await Portal.SignInAsync(page, login, password);
        await page.GotoAsync("/trust-anchors");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Not found");
        await Assertions.Expect(page.Locator("nav.side")).Not.ToContainTextAsync("Jobs");
    }
}
