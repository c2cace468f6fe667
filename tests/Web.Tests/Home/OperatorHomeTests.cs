using System.Net;
using HostedPbx.Data.Entities;
using HostedPbx.Testing;
using HostedPbx.Web.Tests.Support;
using Microsoft.Playwright;

namespace HostedPbx.Web.Tests.Home;

/// <summary>The operator's home shows what an operator checks first, counted from the database; tenant staff do not get it.</summary>
public sealed class OperatorHomeTests(Portal portal) : IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await portal.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Home_Operator_ShowsRegistrationsCallsNowRefusalsTodayAndTheDaysCalls()
    {
        TestTenants.Arranged acme;
        var now = DateTimeOffset.UtcNow;
        await using (var owner = portal.Database.CreateOwnerContext())
        {
            acme = await TestTenants.AddAsync(owner, "Acme", "0015650000a1");
            owner.Registrations.Add(Registration(acme, now.AddMinutes(5)));
            owner.Registrations.Add(Registration(acme, now.AddMinutes(-5)));
            owner.CallRecords.Add(Call(acme, "a", now.AddMinutes(-1), ended: false));
            owner.CallRecords.Add(Call(acme, "b", now.AddHours(-3), ended: true));
            owner.CallRecords.Add(Call(acme, "c", now.AddHours(-23), ended: true));
            owner.CallRecords.Add(Call(acme, "d", now.AddHours(-30), ended: true));
            owner.AuditEvents.Add(Refusal("sip.tls.handshake", now.AddSeconds(-10)));
            owner.AuditEvents.Add(Refusal("sip.tls.handshake", now.AddSeconds(-5)));
            owner.AuditEvents.Add(Refusal("sip.register", now.AddSeconds(-5)));
            await owner.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var (login, password) = await portal.AddUserAsync(PortalRole.Operator);
        var page = await portal.NewPageAsync();
        await Portal.SignInAsync(page, login, password);
        await page.WaitForURLAsync("**/account/enrol**");
        var key = await page.GetByTestId("shared-key").InnerTextAsync();
        await page.FillAsync("#code", Totp.Code(key, DateTimeOffset.UtcNow));
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(portal.BaseUrl + "");

        await Assertions.Expect(page.GetByTestId("registrations")).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByTestId("calls-now")).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByTestId("refusals-today")).ToHaveTextAsync("2");
        await Assertions.Expect(page.GetByTestId("calls-day")).ToHaveTextAsync("3");
        await Assertions.Expect(page.GetByTestId("calls-chart").Locator("rect")).ToHaveCountAsync(24);
        await Portal.ScreenshotAsync(page, "operator-home");
    }

    [Fact]
    public async Task Home_TenantAdmin_NoPlatformFigures()
    {
        await using var owner = portal.Database.CreateOwnerContext();
        var acme = await TestTenants.AddAsync(owner, "Acme", "0015650000a2");
        var (login, password) = await portal.AddUserAsync(PortalRole.TenantAdmin, tenantId: acme.Tenant.Id);
        var page = await portal.NewPageAsync();
        await Portal.SignInAsync(page, login, password);

        await Portal.OpenAsync(page, "/");

        await Assertions.Expect(page.GetByText("Your tenant")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("operator-overview")).ToHaveCountAsync(0);
    }

    private static Registration Registration(TestTenants.Arranged t, DateTimeOffset expires) => new()
    {
        TenantId = t.Tenant.Id, ExtensionId = t.Extension.Id, DeviceId = t.Device.Id, ContactUri = $"sip:{Guid.NewGuid():N}@127.0.0.1",
        SourceAddress = "127.0.0.1:5000", SwitchNode = "test", RegisteredAt = expires.AddMinutes(-10), ExpiresAt = expires,
    };

    private static CallRecord Call(TestTenants.Arranged t, string id, DateTimeOffset started, bool ended) => new()
    {
        TenantId = t.Tenant.Id, SipCallId = id, Type = CallType.ExtensionToExtension, FromParty = "201", ToParty = "202", StartedAt = started,
        EndedAt = ended ? started.AddMinutes(1) : null, Outcome = ended ? CallOutcome.Answered : CallOutcome.InProgress,
    };

    private static AuditEvent Refusal(string action, DateTimeOffset at) => new()
    {
        OccurredAt = at, ActorKind = AuditActorKind.Device, ActorName = "127.0.0.1:5000", Action = action, Outcome = AuditOutcome.Denied,
        Reason = "test", SourceAddress = IPAddress.Loopback,
    };
}
