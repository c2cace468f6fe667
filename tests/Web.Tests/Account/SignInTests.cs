using HostedPbx.Data.Entities;
using HostedPbx.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace HostedPbx.Web.Tests.Account;

public sealed class SignInTests(Portal portal) : IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await portal.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Operator_FirstSignIn_EnrolsTotpThenNeedsTheCodeEachTime()
    {
        var (login, password) = await portal.AddUserAsync(PortalRole.Operator);
        var page = await portal.NewPageAsync();
        await Portal.SignInAsync(page, login, password);

        await page.WaitForURLAsync("**/account/enrol**");
        var key = await page.GetByTestId("shared-key").InnerTextAsync();
        await Assertions.Expect(page.GetByTestId("otpauth-uri")).ToContainTextAsync($"otpauth://totp/HostedPbx:");
        await Assertions.Expect(page.GetByTestId("otpauth-uri")).ToContainTextAsync($"secret={key}");
        // The QR code encodes exactly the URI shown (the same encoder, fed the shown text, draws the same image).
        var uri = await page.GetByTestId("otpauth-uri").InnerTextAsync();
        var qr = await page.GetByTestId("otpauth-qr").GetAttributeAsync("src");
        using (var generator = new QRCoder.QRCodeGenerator())
        using (var data = generator.CreateQrCode(uri, QRCoder.QRCodeGenerator.ECCLevel.M))
        {
            Assert.Equal("data:image/png;base64," + Convert.ToBase64String(new QRCoder.PngByteQRCode(data).GetGraphic(6)), qr);
        }
        await Portal.ScreenshotAsync(page, "enrol-totp");

        // A wrong code does not enable anything.
        await page.FillAsync("#code", Wrong(Totp.Code(key, DateTimeOffset.UtcNow)));
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not right");

        await page.FillAsync("#code", Totp.Code(key, DateTimeOffset.UtcNow));
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(portal.BaseUrl + "");
        await Assertions.Expect(page.Locator("nav.side").GetByRole(AriaRole.Link, new() { Name = "Jobs" })).ToHaveAttributeAsync("href", "/hangfire");

        // Signed out and in again: the password alone is not enough.
        await Portal.SignOutAsync(page);
        await Portal.SignInAsync(page, login, password);
        await page.WaitForURLAsync("**/account/two-factor**");
        await page.FillAsync("#code", Wrong(Totp.Code(key, DateTimeOffset.UtcNow)));
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not right");
        // Codes are single-use: the next step's code, which the server accepts a step early for clock drift.
        await page.FillAsync("#code", Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(30)));
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("nav.side")).ToContainTextAsync("Trust anchors");

        await using var owner = portal.Database.CreateOwnerContext();
        var actions = await owner.AuditEvents.Where(a => a.ActorName == login).OrderBy(a => a.OccurredAt)
            .Select(a => a.Action + ":" + a.Outcome).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Contains("portal.two-factor.enrol:Success", actions);
        Assert.Equal(2, actions.Count(a => a == "portal.sign-in.two-factor:Denied"));
        Assert.Equal(2, actions.Count(a => a == "portal.sign-in:Success"));
        Assert.True((await owner.Users.SingleAsync(u => u.UserName == login, TestContext.Current.CancellationToken)).TwoFactorEnabled);
    }

    [Fact]
    public async Task TotpCode_UsedTwice_RefusedTheSecondTime()
    {
        var (login, password) = await portal.AddUserAsync(PortalRole.Operator);
        var page = await portal.NewPageAsync();
        await Portal.SignInAsync(page, login, password);
        await page.WaitForURLAsync("**/account/enrol**");
        var key = await page.GetByTestId("shared-key").InnerTextAsync();
        var code = Totp.Code(key, DateTimeOffset.UtcNow);
        await page.FillAsync("#code", code);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(portal.BaseUrl + "");
        await Portal.SignOutAsync(page);

        // Someone who watched the code typed tries it at once, with the password.
        await Portal.SignInAsync(page, login, password);
        await page.WaitForURLAsync("**/account/two-factor**");
        await page.FillAsync("#code", code);
        await page.ClickAsync("button[type=submit]");

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not right");
        await page.FillAsync("#code", Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(30)));
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("nav.side")).ToContainTextAsync("Trust anchors");
    }

    [Fact]
    public async Task SignIn_ReturnAddressWithBidirectionalControl_SignsInAndGoesHome()
    {
        var (login, password) = await portal.AddUserAsync(PortalRole.ResellerAdmin, resellerId: await AddResellerAsync());
        var page = await portal.NewPageAsync();
        await page.GotoAsync("/account/sign-in?returnUrl=" + Uri.EscapeDataString("/tenants\u202Etxt.exe"));
        await page.FillAsync("#login", login);
        await page.FillAsync("#password", password);

        var response = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("button[type=submit]"),
            r => r.Request.Method == "POST" && r.Url.Contains("/account/sign-in", StringComparison.Ordinal));

        Assert.True(response.Status < 500, $"sign-in answered {response.Status}");
        await page.WaitForURLAsync(portal.BaseUrl + "");
        await Assertions.Expect(page.Locator("nav.side")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task SignOut_PostWithoutAntiforgeryToken_SignsNobodyOut()
    {
        var (login, password) = await portal.AddUserAsync(PortalRole.ResellerAdmin, resellerId: await AddResellerAsync());
        var page = await portal.NewPageAsync();
        await Portal.SignInAsync(page, login, password);
        await Assertions.Expect(page.Locator("nav.side")).ToBeVisibleAsync();

        // What a hostile page's form would send: the session cookie rides along, but no token.
        var forged = await page.Context.APIRequest.PostAsync("/account/sign-out", new() { MaxRedirects = 0 });

        Assert.Equal(400, forged.Status);
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("nav.side")).ToBeVisibleAsync();
        await Portal.SignOutAsync(page);
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LocksTheAccountEvenForTheRightOne()
    {
        var (login, password) = await portal.AddUserAsync(PortalRole.ResellerAdmin, resellerId: await AddResellerAsync());
        var page = await portal.NewPageAsync();
        for (var i = 0; i < 4; i++)
        {
            await Portal.SignInAsync(page, login, "wrong-" + i);
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong login or password.");
        }

        await Portal.SignInAsync(page, login, "wrong-5");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("locked");
        await Portal.SignInAsync(page, login, password);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("locked");
        await Portal.ScreenshotAsync(page, "sign-in-locked");

        await using var owner = portal.Database.CreateOwnerContext();
        var actions = await owner.AuditEvents.Where(a => a.ActorName == login).Select(a => a.Action + ":" + a.Reason)
            .ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(4, actions.Count(a => a == "portal.sign-in:wrong password"));
        Assert.Equal(2, actions.Count(a => a.StartsWith("portal.sign-in.lockout:", StringComparison.Ordinal)));
        Assert.DoesNotContain(actions, a => a.StartsWith("portal.sign-in:", StringComparison.Ordinal) && !a.EndsWith("wrong password", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignIn_UnknownLogin_IsRefusedAndAudited()
    {
        var page = await portal.NewPageAsync();
        await Portal.SignInAsync(page, "nobody@test.example", "whatever-password");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong login or password.");
        await Portal.ScreenshotAsync(page, "sign-in");

        await using var owner = portal.Database.CreateOwnerContext();
        Assert.True(await owner.AuditEvents.AnyAsync(a => a.ActorName == "nobody@test.example" && a.Outcome == AuditOutcome.Denied,
            TestContext.Current.CancellationToken));
    }

    private async Task<Guid> AddResellerAsync()
    {
        await using var owner = portal.Database.CreateOwnerContext();
        var reseller = new Reseller { Name = "Lockout Reseller", CreatedAt = Testing.TestClock.Now };
        owner.Resellers.Add(reseller);
        await owner.SaveChangesAsync();
        return reseller.Id;
    }

    /// <summary>A six-digit code that is surely not the current one.</summary>
    private static string Wrong(string code) => ((int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) + 500_000) % 1_000_000)
        .ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
}
