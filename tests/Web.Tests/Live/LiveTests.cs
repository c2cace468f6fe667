using HostedPbx.Data.Entities;
using HostedPbx.Testing;
using HostedPbx.Web.Tests.Support;
using Microsoft.Playwright;

namespace HostedPbx.Web.Tests.Live;

public sealed class LiveTests(Portal portal) : IAsyncLifetime
{
    private TestTenants.Arranged _acme = default!;

    public async ValueTask InitializeAsync()
    {
        await portal.ResetAsync();
        await using var owner = portal.Database.CreateOwnerContext();
        _acme = await TestTenants.AddAsync(owner, "Acme", "0015650000d1");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task LiveRegistrations_RowWrittenBySwitch_AppearsWithoutReload()
    {
        var (login, password) = await portal.AddUserAsync(PortalRole.TenantAdmin, tenantId: _acme.Tenant.Id);
        var page = await portal.NewPageAsync();
        await Portal.SignInAsync(page, login, password);
        await Portal.OpenAsync(page, "/live");
        await Assertions.Expect(page.GetByTestId("registrations").Locator("tbody tr")).ToHaveCountAsync(0);
        await page.EvaluateAsync("() => window.__sameDocument = true");

        await using (var owner = portal.Database.CreateOwnerContext())
        {
            var now = DateTimeOffset.UtcNow;
            owner.Registrations.Add(new Registration
            {
                TenantId = _acme.Tenant.Id, ExtensionId = _acme.Extension.Id, DeviceId = _acme.Device.Id,
                ContactUri = "sip:201@127.0.0.1:40000;transport=tls", SourceAddress = "127.0.0.1:40000", SwitchNode = "node-a",
                UserAgent = "Yealink SIP-T54W", RegisteredAt = now, ExpiresAt = now.AddMinutes(10),
            });
            owner.CallRecords.Add(new CallRecord
            {
                TenantId = _acme.Tenant.Id, SipCallId = "live-call-1", Type = CallType.ExtensionToExtension, FromParty = "201",
                ToParty = "202", StartedAt = now,
            });
            await owner.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var row = page.GetByTestId("registrations").Locator("tbody tr");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("0015650000d1");
        await Assertions.Expect(row).ToContainTextAsync("Yealink SIP-T54W");
        await Assertions.Expect(page.GetByTestId("active-calls")).ToContainTextAsync("ringing");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "The page was reloaded.");
        await Portal.ScreenshotAsync(page, "live");
    }
}
