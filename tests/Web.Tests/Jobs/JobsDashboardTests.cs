using HostedPbx.Data.Entities;
using HostedPbx.Testing;
using HostedPbx.Web.Tests.Support;
using Microsoft.Playwright;

namespace HostedPbx.Web.Tests.Jobs;

/// <summary>The Hangfire dashboard shows every tenant's jobs: an operator past two-factor sees it, a reseller does not.</summary>
public sealed class JobsDashboardTests(Portal portal) : IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await portal.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Dashboard_Operator_SeesTheCertificateJobs()
    {
        var (login, password) = await portal.AddUserAsync(PortalRole.Operator);
        var page = await portal.NewPageAsync();
        await Portal.SignInAsync(page, login, password);
        await page.WaitForURLAsync("**/account/enrol**");
        var key = await page.GetByTestId("shared-key").InnerTextAsync();
        await page.FillAsync("#code", Totp.Code(key, DateTimeOffset.UtcNow));
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(portal.BaseUrl + "");

        await page.GotoAsync("/hangfire/recurring");

        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("certificate-expiry-sweep");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("crl-refresh");
        await Portal.ScreenshotAsync(page, "jobs-dashboard");
    }

    [Fact]
    public async Task Dashboard_ResellerAdmin_NotFound()
    {
        await using var owner = portal.Database.CreateOwnerContext();
        var acme = await TestTenants.AddAsync(owner, "Acme", "0015650000f1");
        var (login, password) = await portal.AddUserAsync(PortalRole.ResellerAdmin, resellerId: acme.Reseller.Id);
        var page = await portal.NewPageAsync();
        await Portal.SignInAsync(page, login, password);

        await page.GotoAsync("/hangfire/recurring");

        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Not found");
        await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync("certificate-expiry-sweep");
    }

    [Fact]
    public async Task Dashboard_SignedOut_SentToSignIn()
    {
        var page = await portal.NewPageAsync();

        await page.GotoAsync("/hangfire");

        await page.WaitForURLAsync("**/account/sign-in**");
    }
}
