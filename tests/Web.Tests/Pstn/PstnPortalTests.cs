using HostedPbx.Data.Entities;
using HostedPbx.Testing;
using HostedPbx.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace HostedPbx.Web.Tests.Pstn;

/// <summary>
/// Issue 11 in Chromium: a reseller points a number at an extension and adds a route for its tenant and sees both
/// listed, audited; bad input (a number not in E.164, a pattern that does not parse, a caller ID the tenant does not
/// own) gets the rule's own message beside the field and writes nothing; another reseller gets "Not found" on the
/// tenant's trunks, numbers and routes pages with their real ids; a reseller cannot open the operator's carriers.
/// </summary>
public sealed class PstnPortalTests(Portal portal) : IAsyncLifetime
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;
    private TestTenants.Arranged _acme = default!;
    private TestTenants.Arranged _other = default!;
    private Trunk _trunk = default!;

    public async ValueTask InitializeAsync()
    {
        await portal.ResetAsync();
        await using var owner = portal.Database.CreateOwnerContext();
        _acme = await TestTenants.AddAsync(owner, "Acme", "0015650000e1");
        _other = await TestTenants.AddAsync(owner, "Other", "0015650000e2");
        _trunk = new Trunk { TenantId = _acme.Tenant.Id, Name = "Acme Carrier", Host = "sip.acme-carrier.example", CreatedAt = TestClock.Now };
        owner.Trunks.Add(_trunk);
        await owner.SaveChangesAsync(_cancel);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Reseller_AddsNumberAndRoute_SeesThemListedAndAudited()
    {
        var (page, login) = await SignInResellerAsync(_acme.Reseller.Id);
        await Portal.OpenAsync(page, $"/tenants/{_acme.Tenant.Id}");
        await page.GetByTestId("numbers-link").ClickAsync();
        await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync("Numbers of Acme");

        await page.FillAsync("#number-e164", "+4930123456");
        await page.SelectOptionAsync("#number-extension", _acme.Extension.Id.ToString());
        await page.ClickAsync("main button:has-text('Add number')");
        var number = page.Locator("tr[data-number='+4930123456']");
        await Assertions.Expect(number).ToContainTextAsync("201");

        await Portal.OpenAsync(page, $"/tenants/{_acme.Tenant.Id}/routes");
        await page.FillAsync("#route-name", "Germany");
        await page.FillAsync("#route-pattern", "+49*");
        await page.FillAsync("#route-priority", "10");
        await page.SelectOptionAsync("#route-trunk-0", _trunk.Id.ToString());
        await page.FillAsync("#route-caller-id", "+4930123456");
        await page.ClickAsync("main button:has-text('Add route')");
        var route = page.Locator("table[data-testid=routes] tbody tr");
        await Assertions.Expect(route).ToHaveCountAsync(1);
        await Assertions.Expect(route).ToContainTextAsync("+49*");
        await Assertions.Expect(route).ToContainTextAsync("Acme Carrier");
        await Assertions.Expect(route).ToContainTextAsync("+4930123456");
        await Portal.ScreenshotAsync(page, "pstn-routes");

        await using var owner = portal.Database.CreateOwnerContext();
        var saved = await owner.OutboundRoutes.AsNoTracking().SingleAsync(r => r.TenantId == _acme.Tenant.Id, _cancel);
        Assert.Equal(("+49*", 10, _trunk.Id, "+4930123456"), (saved.Pattern, saved.Priority, Assert.Single(saved.TrunkIds), saved.CallerId));
        var audited = await owner.AuditEvents.AsNoTracking().Where(e => e.ActorName == login && e.TenantId == _acme.Tenant.Id)
            .OrderBy(e => e.OccurredAt).Select(e => e.Action).ToListAsync(_cancel);
        Assert.Equal(["number.create", "route.create"], audited);
    }

    [Fact]
    public async Task Reseller_BadNumberPatternOrCallerId_MessageBesideTheFieldAndNothingWritten()
    {
        var (page, _) = await SignInResellerAsync(_acme.Reseller.Id);
        await Portal.OpenAsync(page, $"/tenants/{_acme.Tenant.Id}/numbers");
        await page.FillAsync("#number-e164", "030 123456");
        await page.SelectOptionAsync("#number-extension", _acme.Extension.Id.ToString());
        await page.ClickAsync("main button:has-text('Add number')");
        await Assertions.Expect(page.GetByTestId("problem-Number")).ToHaveTextAsync("'030 123456' is not in E.164: write + and 7 to 15 digits, e.g. +4930123456.");
        await Assertions.Expect(page.GetByTestId("numbers-none")).ToBeVisibleAsync();

        await Portal.OpenAsync(page, $"/tenants/{_acme.Tenant.Id}/routes");
        await page.FillAsync("#route-name", "Broken");
        await page.FillAsync("#route-pattern", "+4?9*");
        await page.SelectOptionAsync("#route-trunk-0", _trunk.Id.ToString());
        await page.ClickAsync("main button:has-text('Add route')");
        await Assertions.Expect(page.GetByTestId("problem-Pattern"))
            .ToHaveTextAsync("'?' at position 3 is not allowed: use digits, X for any one digit, a leading + and a trailing *.");
        await Assertions.Expect(page.GetByTestId("routes-none")).ToBeVisibleAsync();

        await page.FillAsync("#route-pattern", "+49*");
        await page.FillAsync("#route-caller-id", "+4930999999");
        await page.ClickAsync("main button:has-text('Add route')");
        await Assertions.Expect(page.GetByTestId("problem-CallerId")).ToContainTextAsync("'+4930999999' is not one of this tenant's numbers");
        await Assertions.Expect(page.GetByTestId("problem-Pattern")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("routes-none")).ToBeVisibleAsync();

        await using var owner = portal.Database.CreateOwnerContext();
        Assert.Equal(0, await owner.OutboundRoutes.CountAsync(_cancel));
        Assert.Equal(0, await owner.InboundNumbers.CountAsync(_cancel));
        Assert.Equal(0, await owner.AuditEvents.CountAsync(e => e.TargetKind == "route" || e.TargetKind == "number", _cancel));
    }

    [Fact]
    public async Task Reseller_PlainUdpTrunk_RefusedAsOnlyTheOperatorMayAllowIt_TlsTrunkAddedAndListed()
    {
        var (page, _) = await SignInResellerAsync(_acme.Reseller.Id);
        await Portal.OpenAsync(page, $"/tenants/{_acme.Tenant.Id}/trunks");
        await page.FillAsync("#trunk-name", "Legacy");
        await page.FillAsync("#trunk-host", "192.0.2.10");
        await page.SelectOptionAsync("#trunk-transport", "Udp");
        await page.CheckAsync("#trunk-plain");
        await page.ClickAsync("main button:has-text('Add trunk')");
        await Assertions.Expect(page.GetByTestId("problem-PlainTransportAllowed")).ToHaveTextAsync("Only the operator may allow TCP or UDP for a trunk.");
        await Assertions.Expect(page.Locator("table[data-testid=trunks] tbody tr")).ToHaveCountAsync(1);

        await page.UncheckAsync("#trunk-plain");
        await page.SelectOptionAsync("#trunk-transport", "Tls");
        await page.ClickAsync("main button:has-text('Add trunk')");
        var added = page.Locator("table[data-testid=trunks] tbody tr:has-text('Legacy')");
        await Assertions.Expect(added).ToContainTextAsync("own: 192.0.2.10:5061");
        await Assertions.Expect(added).ToContainTextAsync("TLS");
        await Assertions.Expect(added.GetByTestId("trunk-state")).ToHaveTextAsync("Not checked yet");

        await using var owner = portal.Database.CreateOwnerContext();
        var saved = await owner.Trunks.AsNoTracking().SingleAsync(t => t.Name == "Legacy", _cancel);
        Assert.Equal((TrunkTransport.Tls, false, _acme.Tenant.Id), (saved.Transport, saved.PlainTransportAllowed, saved.TenantId));
        Assert.Equal(1, await owner.AuditEvents.CountAsync(e => e.Action == "trunk.create" && e.TargetId == saved.Id.ToString(), _cancel));

        // A switch node's keep-alive finds the trunk down: the page says so, with the node's reason.
        owner.SwitchNodes.Add(new SwitchNode { Name = "node-a", SipAddress = "127.0.0.2:5061", CertificateFingerprint = "00", StartedAt = TestClock.Now, LastHeartbeatAt = TestClock.Now });
        owner.TrunkStates.Add(new TrunkState { TrunkId = saved.Id, TenantId = saved.TenantId, NodeName = "node-a", State = TrunkReachability.Down, Since = TestClock.Now, Reason = "3 OPTIONS unanswered" });
        await owner.SaveChangesAsync(_cancel);
        await page.ReloadAsync();
        await Assertions.Expect(added.GetByTestId("trunk-state")).ToContainTextAsync("Down since");
        await Assertions.Expect(added.GetByTestId("trunk-state")).ToContainTextAsync("3 OPTIONS unanswered");
    }

    [Fact]
    public async Task AnotherTenantsReseller_GetsNotFoundOnTrunksNumbersAndRoutes_AndCannotOpenCarriers()
    {
        await using (var owner = portal.Database.CreateOwnerContext())
        {
            owner.InboundNumbers.Add(new InboundNumber
            {
                TenantId = _acme.Tenant.Id, Number = "+4930555000", DestinationExtensionId = _acme.Extension.Id, CreatedAt = TestClock.Now,
            });
            owner.OutboundRoutes.Add(new OutboundRoute { TenantId = _acme.Tenant.Id, Name = "Acme secret route", Pattern = "+49*", TrunkIds = [_trunk.Id] });
            owner.Carriers.Add(new Carrier { Name = "Operator Carrier", Host = "sip.operator-carrier.example", CreatedAt = TestClock.Now });
            await owner.SaveChangesAsync(_cancel);
        }

        var (page, _) = await SignInResellerAsync(_other.Reseller.Id);
        foreach (var path in new[] { "trunks", "numbers", "routes" })
        {
            await Portal.OpenAsync(page, $"/tenants/{_acme.Tenant.Id}/{path}");
            await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync("Not found");
            var main = page.Locator("main");
            await Assertions.Expect(main).Not.ToContainTextAsync("Acme");
            await Assertions.Expect(main).Not.ToContainTextAsync("+4930555000");
            await Assertions.Expect(page.Locator("main button:has-text('Add')")).ToHaveCountAsync(0);
        }

        await Portal.OpenAsync(page, "/carriers");
        await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync("Not found");
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("Operator Carrier");
        await Assertions.Expect(page.Locator("nav.side a[href='/carriers']")).ToHaveCountAsync(0);
    }

    private async Task<(IPage Page, string Login)> SignInResellerAsync(Guid resellerId)
    {
        var (login, password) = await portal.AddUserAsync(PortalRole.ResellerAdmin, resellerId: resellerId);
        var page = await portal.NewPageAsync();
        await Portal.SignInAsync(page, login, password);
        await Assertions.Expect(page.Locator("nav.side")).ToBeVisibleAsync();
        return (page, login);
    }
}
