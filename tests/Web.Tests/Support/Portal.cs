using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace HostedPbx.Web.Tests.Support;

/// <summary>
/// The built portal running as its own process over a test database, and one headless Chromium for the whole run.
/// Each test resets the database (the platform CA is put back), adds the users it needs and opens a fresh browser context.
/// </summary>
public sealed class Portal : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly string s_masterKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private PartProcess? _web;
    private IPlaywright? _playwright;
    private List<TrustAnchor> _authority = [];

    public PostgresFixture Database { get; } = new();

    /// <summary>The master key the portal runs with (to seal test voicemail the portal can open).</summary>
    public static string MasterKey => s_masterKey;

    /// <summary>The portal's voicemail folder.</summary>
    public string VoicemailDirectory { get; } = Directory.CreateTempSubdirectory("hostedpbx-web-vm-").FullName;
    /// <summary>The portal's recordings folder.</summary>
    public string RecordingsDirectory { get; } = Directory.CreateTempSubdirectory("hostedpbx-web-rec-").FullName;
    public IBrowser Browser { get; private set; } = default!;
    public Uri BaseUrl { get; private set; } = default!;
    public string WebOutput => _web is null ? "" : _web.Output + _web.Error;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"{Chromium} is missing: install Debian's chromium (./pbx deps does).");
        }

        await Database.InitializeAsync();
        await EnsureAuthorityAsync();
        var port = PartProcess.FreePort();
        var healthPort = PartProcess.FreePort();
        var (certificate, key) = TestServerCertificate.Files;
        BaseUrl = new Uri($"https://127.0.0.1:{port}");
        _web = PartProcess.Start("Web", new Dictionary<string, string?>
        {
            ["Database__ConnectionString"] = Database.AppConnectionString,
            ["Kestrel__Endpoints__Https__Url"] = BaseUrl.ToString(),
            ["Kestrel__Endpoints__Https__Certificate__Path"] = certificate,
            ["Kestrel__Endpoints__Https__Certificate__KeyPath"] = key,
            ["Kestrel__Endpoints__Health__Url"] = $"http://127.0.0.1:{healthPort}",
            ["Keys__MasterKey"] = s_masterKey,
            ["Voicemail__Directory"] = VoicemailDirectory,
            ["Recordings__Directory"] = RecordingsDirectory,
            // Open circuits check their user again every 2 s rather than every minute, so session tests end quickly.
            ["Portal__SessionRevalidationSeconds"] = "2",
        });
        var started = _web.WaitHealthyAsync(new Uri($"http://127.0.0.1:{healthPort}/health"));
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium, Headless = true, Timeout = 60_000,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                // Without it Chromium still asks the real resolver for Google's hosts (shared/peers/README.md §8).
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
            ],
        });
        await started;
    }

    /// <summary>Empties the database and puts the same platform CA back, so each test starts from the same ground.</summary>
    public async Task ResetAsync()
    {
        await Database.ResetAsync();
        await using var owner = Database.CreateOwnerContext();
        owner.TrustAnchors.AddRange(_authority.Select(a => new TrustAnchor
        {
            Id = a.Id, Kind = a.Kind, Vendor = a.Vendor, Name = a.Name, CertificateDer = a.CertificateDer, Subject = a.Subject,
            Fingerprint = a.Fingerprint, NotBefore = a.NotBefore, NotAfter = a.NotAfter, MacLocation = a.MacLocation,
            ProtectedPrivateKey = a.ProtectedPrivateKey, ParentId = a.ParentId, Enabled = a.Enabled, CreatedAt = a.CreatedAt,
        }));
        await owner.SaveChangesAsync();
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl.ToString(), IgnoreHTTPSErrors = true, AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
        });
        // These bound waits for a condition (a page loaded, an element shown); they never pace a test. The suite runs its
        // projects side by side on two cores, where a Blazor circuit can take many seconds to answer, so the bounds
        // are generous: a condition that never holds still fails the test, only later.
        context.SetDefaultTimeout(60_000);
        Assertions.SetDefaultExpectTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>A portal user with a fresh password, as the table owner.</summary>
    public async Task<(string Login, string Password)> AddUserAsync(PortalRole role, Guid? resellerId = null, Guid? tenantId = null)
    {
        var login = $"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}@test.example"[..40];
        var password = "Pw-" + Guid.NewGuid().ToString("N");
        var user = new PortalUser
        {
            Id = Guid.CreateVersion7(), UserName = login, NormalizedUserName = login.ToUpperInvariant(), Email = login,
            NormalizedEmail = login.ToUpperInvariant(), EmailConfirmed = true, DisplayName = $"Test {role}", Role = role,
            ResellerId = resellerId, TenantId = tenantId, CreatedAt = TestClock.Now, SecurityStamp = Guid.NewGuid().ToString("N"),
            ConcurrencyStamp = Guid.NewGuid().ToString(), LockoutEnabled = true,
        };
        user.PasswordHash = new PasswordHasher<PortalUser>().HashPassword(user, password);
        await using var owner = Database.CreateOwnerContext();
        owner.Users.Add(user);
        await owner.SaveChangesAsync();
        return (login, password);
    }

    /// <summary>A new reseller with an admin of its own, signed in on a new page that shows the portal's menu.</summary>
    public async Task<(IPage Page, Reseller Reseller, string Login, string Password)> SignInNewResellerAsync(string name)
    {
        var reseller = new Reseller { Name = name, CreatedAt = TestClock.Now };
        await using (var owner = Database.CreateOwnerContext())
        {
            owner.Resellers.Add(reseller);
            await owner.SaveChangesAsync();
        }

        var (login, password) = await AddUserAsync(PortalRole.ResellerAdmin, resellerId: reseller.Id);
        var page = await NewPageAsync();
        await SignInAsync(page, login, password);
        await Assertions.Expect(page.Locator("nav.side")).ToBeVisibleAsync();
        return (page, reseller, login, password);
    }

    /// <summary>Signs in with login and password on the static sign-in form.</summary>
    public static async Task SignInAsync(IPage page, string login, string password)
    {
        await page.GotoAsync("/account/sign-in");
        await page.FillAsync("#login", login);
        await page.FillAsync("#password", password);
        // The form posts and the server answers with a page or a redirect: wait for it, so the next step sees its cookie.
        await page.RunAndWaitForResponseAsync(() => page.ClickAsync("button[type=submit]"),
            r => r.Request.Method == "POST" && r.Url.Contains("/account/sign-in", StringComparison.Ordinal));
        // The page's own readyState, not Playwright's load-state wait: that one looks at the states it has seen, then
        // subscribes to the next, and a 'load' landing in between is missed (a clean run timed out here after seeing
        // only the 'networkidle' that follows it). This condition is polled in the page and re-run after a navigation.
        await page.WaitForFunctionAsync("() => document.readyState === 'complete'");
    }

    /// <summary>
    /// Signs out with the layout's button and waits until the sign-in page it redirects to has loaded. Clicking alone
    /// returns before the post is answered, and a sign-in started then was overtaken by the redirect: the page reloaded
    /// between filling the form and pressing its button, so the button posted an empty form the browser would not send.
    /// </summary>
    public static async Task SignOutAsync(IPage page)
    {
        await page.RunAndWaitForResponseAsync(() => page.ClickAsync("text=Sign out"),
            r => r.Request.Method == "POST" && r.Url.Contains("/account/sign-out", StringComparison.Ordinal));
        await page.WaitForURLAsync("**/account/sign-in**");
        await page.WaitForFunctionAsync("() => document.readyState === 'complete'");
    }

    /// <summary>
    /// Loads a page and waits until its circuit is up (the layout shows a marker only when interactive), so clicks reach
    /// the server rather than racing the circuit's start.
    /// </summary>
    public static async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.Locator("[data-interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    /// <summary>
    /// Chooses a file on a Blazor <c>InputFile</c> once Blazor's script has hooked the element (it marks it then): a file
    /// set before that raises no change the server hears. A person cannot choose a file that fast; a test can.
    /// </summary>
    public static async Task ChooseFileAsync(IPage page, string selector, FilePayload file)
    {
        await page.WaitForFunctionAsync("s => document.querySelector(s)?._blazorInputFileNextFileId !== undefined", selector);
        await page.SetInputFilesAsync(selector, file);
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var directory = Path.Combine(RepositoryRoot, ".data", "test-results", "screenshots");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png"), FullPage = true });
    }

    /// <summary>Tests run from artifacts/bin/{project}/debug; the repository is artifacts' parent.</summary>
    private static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && dir.Name != "artifacts")
            {
                dir = dir.Parent;
            }

            return dir?.Parent?.FullName ?? throw new InvalidOperationException("Not running from artifacts/bin.");
        }
    }

    /// <summary>Creates the platform CA once per run, and keeps its rows to put back after each reset.</summary>
    private async Task EnsureAuthorityAsync()
    {
        await using var owner = Database.CreateOwnerContext();
        using var protector = KeyProtector.FromBase64(s_masterKey);
        var issuer = new CertificateIssuer(Options.Create(new CertificateAuthorityOptions()), TimeProvider.System);
        await new PlatformAuthority(issuer, protector, TimeProvider.System).EnsureAsync(owner, CancellationToken.None);
        // Roots first, so a parent is inserted before its child.
        _authority = [.. (await owner.TrustAnchors.AsNoTracking().ToListAsync()).OrderBy(a => a.ParentId is null ? 0 : 1)];
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_web is not null)
        {
            await _web.DisposeAsync();
            // The portal's own log, kept beside the screenshots for whoever reads a failure.
            Directory.CreateDirectory(Path.Combine(RepositoryRoot, ".data", "test-results"));
            await File.WriteAllTextAsync(Path.Combine(RepositoryRoot, ".data", "test-results", "web-tests-portal.log"), WebOutput);
        }

        await Database.DisposeAsync();
    }
}
