using HostedPbx.Data.Entities;
using HostedPbx.Testing;
using HostedPbx.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace HostedPbx.Web.Tests.Protection;

/// <summary>"How your calls are protected": public, true to the tenant's settings, and nothing for a tenant that is not active.</summary>
public sealed class ProtectionPageTests(Portal portal) : IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await portal.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task ProtectionPage_NobodySignedIn_TellsTheTenantsWeakestSuiteAndItsPlainTrunk()
    {
        TestTenants.Arranged acme;
        await using (var owner = portal.Database.CreateOwnerContext())
        {
            acme = await TestTenants.AddAsync(owner, "Acme", "0015650000f2");
            var tenant = await owner.Tenants.SingleAsync(t => t.Id == acme.Tenant.Id, TestContext.Current.CancellationToken);
            tenant.AllowedSrtpSuites = ["AEAD_AES_256_GCM", "AES_CM_128_HMAC_SHA1_80"];
            owner.Trunks.Add(new Trunk
            {
                TenantId = tenant.Id, Name = "Old Carrier", Host = "sip.old-carrier.example", Transport = TrunkTransport.Udp, PlainTransportAllowed = true, SrtpMode = SrtpMode.Off,
                CreatedAt = TestClock.Now,
            });
            await owner.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var page = await portal.NewPageAsync();
        await page.GotoAsync($"/protection/{acme.Tenant.Id}");

        var text = page.GetByTestId("protection");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("How Acme's calls are protected");
        await Assertions.Expect(text).ToContainTextAsync("Calls between your extensions");
        await Assertions.Expect(text).ToContainTextAsync("SRTP, AES_CM_128_HMAC_SHA1_80");
        await Assertions.Expect(text).Not.ToContainTextAsync("AEAD_AES_256_GCM");
        await Assertions.Expect(text).ToContainTextAsync("Calls with outside numbers through Old Carrier");
        await Assertions.Expect(text).ToContainTextAsync("NOT encrypted");
        await Assertions.Expect(text).ToContainTextAsync("the telephone carrier and anyone with access to its network");
        await Portal.ScreenshotAsync(page, "protection");
    }

    [Fact]
    public async Task ProtectionPage_Pictures_PlainCarrierHopNotEncrypted_TlsSrtpCarrierHopEncrypted_NothingBeyondACarrierEncrypted()
    {
        TestTenants.Arranged acme;
        await using (var owner = portal.Database.CreateOwnerContext())
        {
            acme = await TestTenants.AddAsync(owner, "Acme", "0015650000f4");
            owner.Trunks.Add(new Trunk
            {
                TenantId = acme.Tenant.Id, Name = "Old Carrier", Host = "sip.old-carrier.example", Transport = TrunkTransport.Udp, PlainTransportAllowed = true, SrtpMode = SrtpMode.Off,
                CreatedAt = TestClock.Now,
            });
            owner.Trunks.Add(new Trunk
            {
                TenantId = acme.Tenant.Id, Name = "Good Carrier", Host = "sip.good-carrier.example", Transport = TrunkTransport.Tls, SrtpMode = SrtpMode.Required,
                CreatedAt = TestClock.Now,
            });
            await owner.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var page = await portal.NewPageAsync();
        await page.GotoAsync($"/protection/{acme.Tenant.Id}");

        var old = page.Locator("dd[data-kind='Calls with outside numbers through Old Carrier'] svg[role=img]");
        var good = page.Locator("dd[data-kind='Calls with outside numbers through Good Carrier'] svg[role=img]");
        await Assertions.Expect(old.Locator("g.hop[data-to='carrier Old Carrier']")).ToHaveAttributeAsync("data-encrypted", "no");
        await Assertions.Expect(old.Locator("g.hop[data-to='carrier Old Carrier'] > title")).ToContainTextAsync("NOT encrypted");
        await Assertions.Expect(good.Locator("g.hop[data-to='carrier Good Carrier']")).ToHaveAttributeAsync("data-encrypted", "yes");
        await Assertions.Expect(good.Locator("g.hop[data-to='carrier Good Carrier'] > title")).ToContainTextAsync("keys: our switch and the carrier");
        await Assertions.Expect(page.Locator("g.hop[data-from^='carrier ']")).ToHaveCountAsync(2);
        foreach (var beyond in await page.Locator("g.hop[data-from^='carrier ']").AllAsync())
        {
            await Assertions.Expect(beyond).ToHaveAttributeAsync("data-encrypted", "no");
            await Assertions.Expect(beyond).ToHaveAttributeAsync("data-to", "the far party");
        }

        // The text alternative says what the picture draws, for screen readers.
        await Assertions.Expect(good.Locator("desc")).ToContainTextAsync("our switch to carrier Good Carrier: encrypted");
        await Assertions.Expect(old).ToHaveAttributeAsync("aria-labelledby", new System.Text.RegularExpressions.Regex("-title .*-desc$"));
        await Portal.ScreenshotAsync(page, "protection-pictures");
    }

    [Fact]
    public async Task ProtectionPage_SuspendedOrUnknownTenant_NotFound()
    {
        TestTenants.Arranged acme;
        await using (var owner = portal.Database.CreateOwnerContext())
        {
            acme = await TestTenants.AddAsync(owner, "Acme", "0015650000f3");
            await owner.Tenants.Where(t => t.Id == acme.Tenant.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TenantStatus.Suspended).SetProperty(t => t.SuspendedAt, TestClock.Now), TestContext.Current.CancellationToken);
        }

        var page = await portal.NewPageAsync();
        foreach (var id in new[] { acme.Tenant.Id, Guid.NewGuid() })
        {
            await page.GotoAsync($"/protection/{id}");
            await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Not found");
            await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync("Acme");
        }
    }
}
