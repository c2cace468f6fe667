using HostedPbx.Data.Entities;
using HostedPbx.Testing;
using HostedPbx.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace HostedPbx.Web.Tests.Tenants;

/// <summary>A session that ends mid-form loses nothing typed: the draft waits in the browser until the form is saved.</summary>
public sealed class DraftTests(Portal portal) : IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await portal.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task TenantForm_SessionExpiresMidForm_DraftRestoredAfterSigningInAgain()
    {
        var (page, reseller, login, password) = await portal.SignInNewResellerAsync("Draft Reseller");
        await Portal.OpenAsync(page, "/onboard");
        await page.FillAsync("#tenant-name", "Initech");
        await page.FillAsync("#tenant-time-zone", "America/Chicago");
        await page.Locator("#tenant-time-zone").BlurAsync();
        // The draft is kept once the browser has stored it; the test waits for that, as the user's typing would.
        await page.WaitForFunctionAsync("() => (localStorage.getItem('pbx-draft:tenant-new') || '').includes('America/Chicago')");

        // The session ends (its cookie is gone), and the user comes back to the form.
        await page.Context.ClearCookiesAsync();
        await page.GotoAsync("/onboard");
        await page.WaitForURLAsync("**/account/sign-in**");
        await page.FillAsync("#login", login);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/onboard");
        await Assertions.Expect(page.Locator("#tenant-name")).ToHaveValueAsync("Initech");
        await Assertions.Expect(page.Locator("#tenant-time-zone")).ToHaveValueAsync("America/Chicago");

        // A bad time zone is refused beside its field; nothing is created until it is fixed.
        await page.FillAsync("#tenant-time-zone", "Mars/Olympus");
        await page.ClickAsync("text=Create the tenant");
        var zoneField = page.Locator(".field", new() { Has = page.Locator("#tenant-time-zone") });
        await Assertions.Expect(zoneField.Locator(".validation-message")).ToContainTextAsync("not an IANA time zone");
        // Straight from the corrected field to the button: the message stays until the click submits (SubmitValidator).
        await page.FillAsync("#tenant-time-zone", "America/Chicago");
        await page.ClickAsync("text=Create the tenant");
        await page.WaitForURLAsync("**/onboard/*/extensions");

        await using var check = portal.Database.CreateOwnerContext();
        Assert.Equal("America/Chicago", (await check.Tenants.SingleAsync(t => t.Name == "Initech", TestContext.Current.CancellationToken)).TimeZone);
        Assert.Null(await page.EvaluateAsync<string?>("() => localStorage.getItem('pbx-draft:tenant-new')"));
    }

    [Fact]
    public async Task ExtensionForm_SessionExpiresMidForm_DraftRestoredThenClearedWhenAdded()
    {
        TestTenants.Arranged acme;
        await using (var owner = portal.Database.CreateOwnerContext())
        {
            acme = await TestTenants.AddAsync(owner, "Acme", "0015650000f9");
        }

        var (login, password) = await portal.AddUserAsync(PortalRole.TenantAdmin, tenantId: acme.Tenant.Id);
        var page = await portal.NewPageAsync();
        await Portal.SignInAsync(page, login, password);
        var path = $"/tenants/{acme.Tenant.Id}/extensions";
        await Portal.OpenAsync(page, path);
        await page.FillAsync("#ext-number", "240");
        await page.FillAsync("#ext-name", "Half Typed");
        await page.Locator("#ext-name").BlurAsync();
        await page.WaitForFunctionAsync($"() => (localStorage.getItem('pbx-draft:extension-{acme.Tenant.Id}') || '').includes('Half Typed')");

        await page.Context.ClearCookiesAsync();
        await page.GotoAsync(path);
        await page.WaitForURLAsync("**/account/sign-in**");
        await page.FillAsync("#login", login);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**" + path);
        await Assertions.Expect(page.Locator("#ext-number")).ToHaveValueAsync("240");
        await Assertions.Expect(page.Locator("#ext-name")).ToHaveValueAsync("Half Typed");

        await page.ClickAsync("text=Add extension");
        await Assertions.Expect(page.GetByTestId("extensions")).ToContainTextAsync("Half Typed");
        await Assertions.Expect(page.Locator("#ext-number")).ToHaveValueAsync("");
        Assert.Null(await page.EvaluateAsync<string?>($"() => localStorage.getItem('pbx-draft:extension-{acme.Tenant.Id}')"));
    }
}
