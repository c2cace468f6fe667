using HostedPbx.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace HostedPbx.Web.Tests.Onboarding;

/// <summary>A reseller onboards a customer through the guided flow, as the issue's "done when" says.</summary>
public sealed class OnboardingTests(Portal portal) : IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await portal.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Onboard_TenantTwoExtensionsTwoHandsets_DownloadsCertificateOnceAndListsHandsets()
    {
        var (page, reseller, _, _) = await portal.SignInNewResellerAsync("Channel Partner");

        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Onboard a customer" }).First).ToBeVisibleAsync();
        await Portal.OpenAsync(page, "/onboard");

        await page.FillAsync("#tenant-name", "Globex");
        await page.FillAsync("#tenant-time-zone", "Europe/Berlin");
        await page.ClickAsync("text=Create the tenant");
        await page.WaitForURLAsync("**/onboard/*/extensions");
        await Assertions.Expect(page.GetByTestId("onboard-tenant")).ToHaveTextAsync("Globex");

        foreach (var (number, name) in new[] { ("301", "Ann Globex"), ("302", "Ben Globex") })
        {
            await page.FillAsync("#ext-number", number);
            await page.FillAsync("#ext-name", name);
            await page.ClickAsync("text=Add extension");
            await Assertions.Expect(page.GetByTestId("extensions")).ToContainTextAsync(name);
        }

        await Portal.ScreenshotAsync(page, "onboarding-extensions");
        await page.GetByTestId("next").ClickAsync();
        await page.WaitForURLAsync("**/handsets");
        foreach (var (mac, line) in new[] { ("00:15:65:aa:00:01", "301"), ("00-15-65-AA-00-02", "302") })
        {
            await page.FillAsync("#handset-mac", mac);
            await page.SelectOptionAsync("#handset-vendor", "Yealink");
            await page.FillAsync("#handset-model", "T54W");
            await page.FillAsync("#handset-lines", line);
            await page.ClickAsync("text=Add handset");
            await Assertions.Expect(page.Locator($"tr[data-mac='{mac.Replace(":", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant()}']")).ToBeVisibleAsync();
        }

        await page.GetByTestId("next").ClickAsync();
        await page.WaitForURLAsync("**/certificates");
        var first = page.Locator("tr[data-mac='001565aa0001']");
        await first.GetByRole(AriaRole.Button, new() { Name = "Issue certificate" }).ClickAsync();
        var link = first.GetByTestId("download").GetByRole(AriaRole.Link);
        await Assertions.Expect(link).ToBeVisibleAsync();
        await Portal.ScreenshotAsync(page, "onboarding-certificates");
        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        var pem = await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken);
        Assert.Contains("BEGIN CERTIFICATE", pem, StringComparison.Ordinal);
        Assert.Contains("PRIVATE KEY", pem, StringComparison.Ordinal);
        Assert.Equal("001565aa0001.pem", download.SuggestedFilename);

        // The key is served once: the same link is now "not found".
        var again = await page.APIRequest.GetAsync(await link.GetAttributeAsync("href") ?? "");
        Assert.Equal(404, again.Status);

        await page.GetByTestId("next").ClickAsync();
        await page.WaitForURLAsync("**/status");
        var handsets = page.GetByTestId("handsets");
        await Assertions.Expect(handsets).ToContainTextAsync("001565aa0001");
        await Assertions.Expect(handsets).ToContainTextAsync("001565aa0002");
        await Assertions.Expect(page.GetByTestId("provisioning-url")).ToContainTextAsync("/provision/");
        await Portal.ScreenshotAsync(page, "onboarding-status");
        await page.GetByTestId("next").ClickAsync();
        await Assertions.Expect(page.GetByTestId("onboard-done")).ToContainTextAsync("Globex is set up");

        await using var check = portal.Database.CreateOwnerContext();
        var tenant = await check.Tenants.SingleAsync(t => t.Name == "Globex", TestContext.Current.CancellationToken);
        Assert.Equal(reseller.Id, tenant.ResellerId);
        Assert.Equal(2, await check.Extensions.CountAsync(e => e.TenantId == tenant.Id, TestContext.Current.CancellationToken));
        var lines = await check.DeviceLines.Where(l => l.TenantId == tenant.Id).Select(l => l.Device!.Mac + "=" + l.Extension!.Number)
            .OrderBy(x => x).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["001565aa0001=301", "001565aa0002=302"], lines);
        var certificate = await check.DeviceCertificates.SingleAsync(c => c.TenantId == tenant.Id, TestContext.Current.CancellationToken);
        Assert.Null(certificate.ProtectedPrivateKey);
        Assert.True(await check.AuditEvents.AnyAsync(a => a.Action == "device.certificate.download" && a.TenantId == tenant.Id,
            TestContext.Current.CancellationToken));
    }
}
