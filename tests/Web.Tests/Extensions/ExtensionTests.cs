using System.Text;
using HostedPbx.Data.Entities;
using HostedPbx.Testing;
using HostedPbx.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace HostedPbx.Web.Tests.Extensions;

public sealed class ExtensionTests(Portal portal) : IAsyncLifetime
{
    private TestTenants.Arranged _acme = default!;
    private IPage _page = default!;

    public async ValueTask InitializeAsync()
    {
        await portal.ResetAsync();
        await using (var owner = portal.Database.CreateOwnerContext())
        {
            _acme = await TestTenants.AddAsync(owner, "Acme", "0015650000c1");
        }

        var (login, password) = await portal.AddUserAsync(PortalRole.ResellerAdmin, resellerId: _acme.Reseller.Id);
        _page = await portal.NewPageAsync();
        await Portal.SignInAsync(_page, login, password);
        await Assertions.Expect(_page.Locator("nav.side")).ToBeVisibleAsync();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task CsvImport_BadRow_PreviewNamesItImportsNothingThenOnlyTheGoodRowsWhenAsked()
    {
        await Portal.OpenAsync(_page, $"/tenants/{_acme.Tenant.Id}/extensions");
        // Line 1 is a header; line 3 has a bad number, line 5 repeats 301, line 6 is already taken (201 exists).
        var csv = "number,display name,voicemail e-mail\n301,Ann One,ann@example.test\n3x1,Bad Number\n302,\"Doe, Jane\"\n301,Ann Again\n201,Taken\n";
        await Portal.ChooseFileAsync(_page, "#csv-file", new FilePayload { Name = "staff.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });

        var preview = _page.GetByTestId("csv-preview");
        await Assertions.Expect(preview).ToContainTextAsync("The number is 2 to 8 digits.");
        await Assertions.Expect(preview).ToContainTextAsync("appears twice");
        await Assertions.Expect(preview).ToContainTextAsync("Extension 201 exists already.");
        await Assertions.Expect(_page.GetByTestId("csv-summary")).ToContainTextAsync("row 3, row 5, row 6");
        await Assertions.Expect(_page.GetByRole(AriaRole.Button, new() { Name = "Import 5 extensions" })).ToHaveCountAsync(0);
        await Portal.ScreenshotAsync(_page, "csv-preview");
        Assert.Equal(1, await CountAsync());

        await _page.GetByRole(AriaRole.Button, new() { Name = "Import only the 2 good rows" }).ClickAsync();
        await Assertions.Expect(_page.GetByTestId("csv-result")).ToContainTextAsync("Imported 2 extensions. Not imported: row 3");
        await Assertions.Expect(_page.GetByTestId("csv-result")).ToContainTextAsync("row 6");
        await Assertions.Expect(_page.GetByTestId("extensions")).ToContainTextAsync("Doe, Jane");
        Assert.Equal(3, await CountAsync());
    }

    [Fact]
    public async Task AddExtension_BadNumberAndTakenNumber_MessageBesideTheField()
    {
        await Portal.OpenAsync(_page, $"/tenants/{_acme.Tenant.Id}/extensions");
        await _page.FillAsync("#ext-number", "1");
        await _page.FillAsync("#ext-name", "Too Short");
        await _page.ClickAsync("text=Add extension");
        var numberField = _page.Locator(".field", new() { Has = _page.Locator("#ext-number") });
        await Assertions.Expect(numberField.Locator(".validation-message")).ToHaveTextAsync("The number is 2 to 8 digits.");

        // Straight from the corrected field to the button, as a person goes: the message stays until the click submits.
        await _page.FillAsync("#ext-number", "201");
        await _page.ClickAsync("text=Add extension");
        await Assertions.Expect(numberField.Locator(".validation-message")).ToHaveTextAsync("Extension 201 exists already in this tenant.");
        await Portal.ScreenshotAsync(_page, "extension-validation");
        Assert.Equal(1, await CountAsync());
    }

    [Fact]
    public async Task ExtensionList_FiftyThousandExtensions_PagedInTheDatabase()
    {
        await using (var owner = portal.Database.CreateOwnerContext())
        {
            await owner.Database.ExecuteSqlAsync($"""
                INSERT INTO extensions (id, tenant_id, number, display_name, voicemail_enabled, sip_digest_required, created_at)
                SELECT gen_random_uuid(), {_acme.Tenant.Id}, (100000 + g)::text, 'Person ' || g, true, false, now()
                FROM generate_series(0, 49998) AS g
                """, TestContext.Current.CancellationToken);
        }

        var started = TimeProvider.System.GetTimestamp();
        await Portal.OpenAsync(_page, $"/tenants/{_acme.Tenant.Id}/extensions");
        var status = _page.GetByTestId("pager-status");
        await Assertions.Expect(status).ToHaveTextAsync("Page 1 of 1000 · 50,000 extensions");
        var rows = _page.GetByTestId("extensions").Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(50);
        await Assertions.Expect(rows.First).ToContainTextAsync("100000");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Assertions.Expect(status).ToHaveTextAsync("Page 2 of 1000 · 50,000 extensions");
        await Assertions.Expect(rows.First).ToContainTextAsync("100050");
        await _page.FillAsync("#ext-filter", "Person 4999");
        await Assertions.Expect(status).ToHaveTextAsync("Page 1 of 1 · 10 extensions");
        var elapsed = TimeProvider.System.GetElapsedTime(started);
        await Portal.ScreenshotAsync(_page, "extensions-50000");
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"Paging 50,000 extensions took {elapsed.TotalSeconds:0.0} s.");
        TestContext.Current.SendDiagnosticMessage($"50,000 extensions: open, next page and filter in {elapsed.TotalMilliseconds:0} ms");
    }

    private async Task<int> CountAsync()
    {
        await using var owner = portal.Database.CreateOwnerContext();
        return await owner.Extensions.CountAsync(e => e.TenantId == _acme.Tenant.Id);
    }
}
