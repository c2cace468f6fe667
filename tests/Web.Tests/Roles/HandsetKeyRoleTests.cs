using HostedPbx.Data.Entities;
using HostedPbx.Testing;
using HostedPbx.Web.Tests.Support;
using Microsoft.Playwright;

namespace HostedPbx.Web.Tests.Roles;

/// <summary>
/// The key cells of docs/roles.md in Chromium: a compliance officer sees a tenant's handsets but can neither issue a
/// handset certificate nor download a handset's key, not even with a link a tenant admin was given.
/// </summary>
public sealed class HandsetKeyRoleTests(Portal portal) : IAsyncLifetime
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
    public async Task ComplianceOfficer_CannotIssueOrDownloadAHandsetKey_TenantAdminCan()
    {
        var (adminLogin, adminPassword) = await portal.AddUserAsync(PortalRole.TenantAdmin, tenantId: _acme.Tenant.Id);
        var admin = await portal.NewPageAsync();
        await Portal.SignInAsync(admin, adminLogin, adminPassword);
        await Portal.OpenAsync(admin, $"/tenants/{_acme.Tenant.Id}/handsets");
        var adminRow = admin.Locator("tr[data-mac='0015650000f1']");
        await adminRow.GetByRole(AriaRole.Button, new() { Name = "Issue certificate" }).ClickAsync();
        var link = await adminRow.GetByTestId("download").GetByRole(AriaRole.Link).GetAttributeAsync("href");
        Assert.NotNull(link);

        var (officerLogin, officerPassword) = await portal.AddUserAsync(PortalRole.ComplianceOfficer, tenantId: _acme.Tenant.Id);
        var officer = await portal.NewPageAsync();
        await Portal.SignInAsync(officer, officerLogin, officerPassword);
        await officer.WaitForURLAsync("**/account/enrol**");
        var key = await officer.GetByTestId("shared-key").InnerTextAsync();
        await officer.FillAsync("#code", Totp.Code(key, DateTimeOffset.UtcNow));
        await officer.ClickAsync("button[type=submit]");
        await officer.WaitForURLAsync(portal.BaseUrl + "");
        await Portal.OpenAsync(officer, $"/tenants/{_acme.Tenant.Id}/handsets");

        var officerRow = officer.Locator("tr[data-mac='0015650000f1']");
        await Assertions.Expect(officerRow).ToBeVisibleAsync();
        await Assertions.Expect(officerRow.GetByRole(AriaRole.Button, new() { Name = "Issue certificate" })).ToHaveCountAsync(0);
        await Assertions.Expect(officerRow.GetByRole(AriaRole.Button, new() { Name = "Revoke" })).ToHaveCountAsync(0);
        await Assertions.Expect(officer.Locator("#handset-mac")).ToHaveCountAsync(0);
        var stolen = await officer.Context.APIRequest.GetAsync(link!);
        Assert.Equal(404, stolen.Status);

        // Nor does the officer change extensions: the page lists them without the forms.
        await Portal.OpenAsync(officer, $"/tenants/{_acme.Tenant.Id}/extensions");
        await Assertions.Expect(officer.GetByText(_acme.Extension.Number).First).ToBeVisibleAsync();
        await Assertions.Expect(officer.GetByRole(AriaRole.Button, new() { Name = "Add extension" })).ToHaveCountAsync(0);

        // The key is still there for the one it was issued to.
        var download = await admin.Context.APIRequest.GetAsync(link!);
        Assert.Equal(200, download.Status);
        Assert.Contains("PRIVATE KEY", await download.TextAsync(), StringComparison.Ordinal);
    }
}
