using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Testing;
using HostedPbx.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace HostedPbx.Web.Tests.Handsets;

public sealed class HandsetTests(Portal portal) : IAsyncLifetime
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
    public async Task Handsets_IssuePkcs12ThenRevoke_DownloadOpensWithShownPasswordAndRevocationIsRecorded()
    {
        var (login, password) = await portal.AddUserAsync(PortalRole.ResellerAdmin, resellerId: _acme.Reseller.Id);
        var page = await portal.NewPageAsync();
        await Portal.SignInAsync(page, login, password);
        await Portal.OpenAsync(page, $"/tenants/{_acme.Tenant.Id}/handsets");

        // A MAC that is not one is refused beside its field.
        await page.FillAsync("#handset-mac", "00:15:65:zz:00:01");
        await page.FillAsync("#handset-model", "T54W");
        await page.ClickAsync("text=Add handset");
        var macField = page.Locator(".field", new() { Has = page.Locator("#handset-mac") });
        await Assertions.Expect(macField.Locator(".validation-message")).Not.ToBeEmptyAsync();

        var row = page.Locator("tr[data-mac='0015650000f1']");
        await row.Locator("select").SelectOptionAsync("Pkcs12");
        await row.GetByRole(AriaRole.Button, new() { Name = "Issue certificate" }).ClickAsync();
        var box = row.GetByTestId("download");
        await Assertions.Expect(box).ToContainTextAsync("PKCS#12 password");
        var secret = await box.Locator("code").InnerTextAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => box.GetByRole(AriaRole.Link).ClickAsync());
        var bytes = await File.ReadAllBytesAsync(await download.PathAsync(), TestContext.Current.CancellationToken);
        using (var certificate = X509CertificateLoader.LoadPkcs12(bytes, secret))
        {
            Assert.True(certificate.HasPrivateKey);
            Assert.Contains("0015650000f1", certificate.Subject, StringComparison.OrdinalIgnoreCase);
        }

        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Assertions.Expect(row).ToContainTextAsync("revoked");
        await Portal.ScreenshotAsync(page, "handsets");

        await using var owner = portal.Database.CreateOwnerContext();
        var stored = await owner.DeviceCertificates.SingleAsync(c => c.DeviceId == _acme.Device.Id, TestContext.Current.CancellationToken);
        Assert.NotNull(stored.RevokedAt);
        Assert.Null(stored.ProtectedPrivateKey);
        var actions = await owner.AuditEvents.Where(a => a.TenantId == _acme.Tenant.Id).Select(a => a.Action)
            .ToListAsync(TestContext.Current.CancellationToken);
        Assert.Contains("device.certificate.issue", actions);
        Assert.Contains("device.certificate.download", actions);
        Assert.Contains("device.certificate.revoke", actions);
    }
}
