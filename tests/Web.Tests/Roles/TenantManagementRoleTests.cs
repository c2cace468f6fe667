using HostedPbx.Data.Entities;
using HostedPbx.Testing;
using HostedPbx.Web.Tests.Support;
using Microsoft.Playwright;

namespace HostedPbx.Web.Tests.Roles;

/// <summary>
/// The tenant-management rows of docs/roles.md in Chromium: a tenant admin can neither create tenants, onboard a
/// customer nor manage API keys (each page says only "Not found" and offers no form, and the menu does not link them);
/// the tenant admin's reseller can.
/// </summary>
public sealed class TenantManagementRoleTests(Portal portal) : IAsyncLifetime
{
    private static readonly string[] ResellerPages = ["/tenants/new", "/onboard", "/api-keys"];

    private TestTenants.Arranged _acme = default!;

    public async ValueTask InitializeAsync()
    {
        await portal.ResetAsync();
        await using var owner = portal.Database.CreateOwnerContext();
        _acme = await TestTenants.AddAsync(owner, "Acme", "0015650000f2");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task TenantAdmin_SeesNotFoundOnResellerPages_TheResellerSeesTheirForms()
    {
        var (adminLogin, adminPassword) = await portal.AddUserAsync(PortalRole.TenantAdmin, tenantId: _acme.Tenant.Id);
        var admin = await portal.NewPageAsync();
        await Portal.SignInAsync(admin, adminLogin, adminPassword);
        var (resellerLogin, resellerPassword) = await portal.AddUserAsync(PortalRole.ResellerAdmin, resellerId: _acme.Reseller.Id);
        var reseller = await portal.NewPageAsync();
        await Portal.SignInAsync(reseller, resellerLogin, resellerPassword);

        foreach (var path in ResellerPages)
        {
            await Portal.OpenAsync(admin, path);
            await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
            await Assertions.Expect(admin.Locator("main form button[type=submit]")).ToHaveCountAsync(0);

            await Portal.OpenAsync(reseller, path);
            await Assertions.Expect(reseller.Locator("main form button[type=submit]").First).ToBeVisibleAsync();
        }

        var menu = admin.Locator("nav.side");
        await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = "My tenant" })).ToBeVisibleAsync();
        await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = "API keys" })).ToHaveCountAsync(0);
        await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Onboard a customer" })).ToHaveCountAsync(0);
        await Assertions.Expect(reseller.Locator("nav.side").GetByRole(AriaRole.Link, new() { Name = "API keys" })).ToBeVisibleAsync();
    }
}
