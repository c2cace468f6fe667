using HostedPbx.Data.Entities;
using HostedPbx.Data.Voicemail;
using HostedPbx.Testing;
using HostedPbx.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace HostedPbx.Web.Tests.Voicemail;

/// <summary>An extension's mailbox in the portal, in Chromium: list, play in the browser, download, delete, and settings.</summary>
public sealed class VoicemailPageTests(Portal portal) : IAsyncLifetime
{
    private TestTenants.Arranged _acme = default!;
    private IPage _page = default!;

    public async ValueTask InitializeAsync()
    {
        await portal.ResetAsync();
        await using (var owner = portal.Database.CreateOwnerContext())
        {
            _acme = await TestTenants.AddAsync(owner, "Acme", "0015650000d1");
        }

        var (login, password) = await portal.AddUserAsync(PortalRole.TenantAdmin, tenantId: _acme.Tenant.Id);
        _page = await portal.NewPageAsync();
        await Portal.SignInAsync(_page, login, password);
        await Assertions.Expect(_page.Locator("nav.side")).ToBeVisibleAsync();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Mailbox_ListPlayDownloadDelete_AuditedAndTheFileIsGone()
    {
        var pcm = TestVoicemail.Tone(440, 2);
        VoicemailMessage message;
        await using (var owner = portal.Database.CreateOwnerContext())
        {
            message = await TestVoicemail.AddAsync(owner, portal.VoicemailDirectory, Portal.MasterKey, _acme.Tenant.Id, _acme.Extension.Id, pcm,
                callerNumber: "202");
        }

        await Portal.OpenAsync(_page, $"/tenants/{_acme.Tenant.Id}/extensions");
        await _page.GetByRole(AriaRole.Link, new() { Name = "Mailbox" }).ClickAsync();
        await _page.Locator("[data-interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var row = _page.Locator($"tr[data-message='{message.Id}']");
        await Assertions.Expect(row).ToContainTextAsync("202");
        await Assertions.Expect(row).ToContainTextAsync("0:02");
        await Assertions.Expect(_page.GetByTestId("voicemail-counts")).ToHaveTextAsync("1 new, 0 saved");

        // The browser plays the stream: its player learns the length from the WAV and moves past the start.
        var played = await row.Locator("audio").EvaluateAsync<double>("""
            async a => {
              a.muted = true;
              await a.play();
              while (a.currentTime < 0.5 && !a.ended) { await new Promise(r => a.addEventListener('timeupdate', r, { once: true })); }
              return a.duration;
            }
            """);
        Assert.Equal(2.0, played, 1);

        var download = await _page.RunAndWaitForDownloadAsync(() => row.GetByRole(AriaRole.Link, new() { Name = "Download" }).ClickAsync());
        var saved = Path.Combine(Path.GetTempPath(), $"vm-{Guid.NewGuid():N}.wav");
        await download.SaveAsAsync(saved);
        var wav = await File.ReadAllBytesAsync(saved, TestContext.Current.CancellationToken);
        File.Delete(saved);
        Assert.Equal("RIFF"u8.ToArray(), wav[..4]);
        Assert.Equal(pcm, wav[44..]);
        await Portal.ScreenshotAsync(_page, "voicemail-mailbox");

        await row.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await Assertions.Expect(_page.GetByTestId("voicemail-counts")).ToHaveTextAsync("0 new, 0 saved");
        Assert.False(File.Exists(new VoicemailFiles(portal.VoicemailDirectory).FullPath(message.StoragePath)));
        await using var check = portal.Database.CreateOwnerContext();
        Assert.Equal(VoicemailStatus.Deleted, (await check.VoicemailMessages.SingleAsync(m => m.Id == message.Id, TestContext.Current.CancellationToken)).Status);
        var actions = await check.AuditEvents.Where(e => e.TargetId == message.Id.ToString()).Select(e => e.Action).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Contains("voicemail.listen", actions);
        Assert.Contains("voicemail.download", actions);
        Assert.Contains("voicemail.delete", actions);
    }

    [Fact]
    public async Task Settings_WhileThePageIsStillLoading_NoFormWithBlankDefaultsToTypeIntoOrSave()
    {
        await using (var owner = portal.Database.CreateOwnerContext())
        {
            var extension = await owner.Extensions.SingleAsync(e => e.Id == _acme.Extension.Id, TestContext.Current.CancellationToken);
            extension.ForwardNoAnswerSeconds = 45;
            await owner.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await Portal.OpenAsync(_page, $"/tenants/{_acme.Tenant.Id}/extensions");
        // The page's last query (its greetings) waits on a lock, while the tenant above it loads at once: the moment a
        // slow database opens up in real use.
        await using var blocker = portal.Database.CreateOwnerContext();
        await using (var hold = await blocker.Database.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            await blocker.Database.ExecuteSqlRawAsync("LOCK TABLE voicemail_greetings IN ACCESS EXCLUSIVE MODE", TestContext.Current.CancellationToken);
            await _page.GetByRole(AriaRole.Link, new() { Name = "Mailbox" }).ClickAsync();
            await Assertions.Expect(_page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Loading…");
            await Assertions.Expect(_page.Locator("#vm-no-answer")).ToHaveCountAsync(0);
            await hold.RollbackAsync(TestContext.Current.CancellationToken);
        }

        await Assertions.Expect(_page.Locator("#vm-no-answer")).ToHaveValueAsync("45");
        await Assertions.Expect(_page.GetByRole(AriaRole.Status)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Settings_WeakPinAndBadGreeting_MessagesBesideTheFields_NothingWritten()
    {
        await Portal.OpenAsync(_page, $"/tenants/{_acme.Tenant.Id}/extensions/{_acme.Extension.Id}/voicemail");

        await _page.FillAsync("#vm-pin", "1111");
        await _page.FillAsync("#vm-no-answer", "2");
        await _page.ClickAsync("text=Save settings");
        var pinField = _page.Locator(".field", new() { Has = _page.Locator("#vm-pin") });
        await Assertions.Expect(pinField.Locator(".validation-message")).ToHaveTextAsync("The PIN must not be one digit repeated.");
        var noAnswerField = _page.Locator(".field", new() { Has = _page.Locator("#vm-no-answer") });
        await Assertions.Expect(noAnswerField.Locator(".validation-message")).ToContainTextAsync("5 to 120 seconds");

        // Corrected values, and a move to the next thing on the page: the messages stay beside their fields until the
        // form is submitted again, so the button below them stays where it was and a click on it lands.
        var save = _page.GetByRole(AriaRole.Button, new() { Name = "Save settings" });
        var before = await save.BoundingBoxAsync();
        await _page.FillAsync("#vm-pin", "2580");
        await _page.FillAsync("#vm-no-answer", "25");
        await _page.Locator("#vm-no-answer").BlurAsync();
        // The greeting's answer comes after the portal has had both changes (one circuit, in order).
        await Portal.ChooseFileAsync(_page, "#greeting-Unavailable", new FilePayload { Name = "hello.wav", MimeType = "audio/wav", Buffer = "not a sound"u8.ToArray() });
        await Assertions.Expect(_page.GetByTestId("greeting-Unavailable").Locator(".validation-message")).ToContainTextAsync("not a WAV audio file");
        await Assertions.Expect(pinField.Locator(".validation-message")).ToHaveTextAsync("The PIN must not be one digit repeated.");
        await Assertions.Expect(noAnswerField.Locator(".validation-message")).ToContainTextAsync("5 to 120 seconds");
        Assert.Equal(before?.Y, (await save.BoundingBoxAsync())?.Y);
        await Portal.ScreenshotAsync(_page, "voicemail-settings-refused");

        await using (var owner = portal.Database.CreateOwnerContext())
        {
            var extension = await owner.Extensions.SingleAsync(e => e.Id == _acme.Extension.Id, TestContext.Current.CancellationToken);
            Assert.Null(extension.VoicemailPinHash);
            Assert.Equal(20, extension.ForwardNoAnswerSeconds);
            Assert.False(await owner.VoicemailGreetings.AnyAsync(TestContext.Current.CancellationToken));
        }

        await save.ClickAsync();
        await Assertions.Expect(_page.GetByTestId("voicemail-saved")).ToBeVisibleAsync();
        await Assertions.Expect(pinField.Locator(".validation-message")).ToHaveCountAsync(0);
        await Assertions.Expect(noAnswerField.Locator(".validation-message")).ToHaveCountAsync(0);
        await using var check = portal.Database.CreateOwnerContext();
        var saved = await check.Extensions.SingleAsync(e => e.Id == _acme.Extension.Id, TestContext.Current.CancellationToken);
        Assert.True(VoicemailPin.Verify("2580", saved.VoicemailPinHash));
        Assert.Equal(25, saved.ForwardNoAnswerSeconds);
    }
}
