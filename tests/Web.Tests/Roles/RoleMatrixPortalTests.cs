using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Testing;
using HostedPbx.Web.Tests.Support;
using Microsoft.Playwright;

namespace HostedPbx.Web.Tests.Roles;

/// <summary>
/// Walks the portal table of docs/roles.md in Chromium, one role per case: each cell is looked at on its page (the
/// form, button or page it names is there, or the page says "Not found") and compared with what the table says, so
/// the document and the portal cannot drift apart. The two cells that need a one-time key link or a second
/// certificate (DownloadHandsetKey, RebindHandsetCertificate) are walked by HandsetKeyRoleTests and HandsetTests.
/// </summary>
public sealed class RoleMatrixPortalTests(Portal portal) : IAsyncLifetime
{
    private const string IssueMac = "0015650000f3";
    private const string RevokeMac = "0015650000f4";
    private static readonly string[] Walked =
    [
        "ViewTenants", "ManageTenants", "ManageApiKeys", "ManageTrustAnchors", "ViewJobs", "ManageExtensions", "ManageHandsets",
        "IssueHandsetCertificate", "RevokeHandsetCertificate", "ViewCalls", "ViewLiveCalls", "ViewAuditLog",
        "ViewRecordings", "ExportRecordings", "ManagePersonalApiKeys", "GrantRecordingListening",
        "ManageLegalHolds", "ManageCarriers", "ManagePstn", "ManageFraudSettings",
    ];

    private TestTenants.Arranged _acme = default!;
    private Guid _recordingId;

    public async ValueTask InitializeAsync()
    {
        await portal.ResetAsync();
        await using var owner = portal.Database.CreateOwnerContext();
        _acme = await TestTenants.AddAsync(owner, "Acme", IssueMac);
        await AddDeviceWithActiveCertificateAsync(owner, _acme.Tenant.Id, RevokeMac);
        _recordingId = (await TestRecordings.AddAsync(portal.Database, portal.RecordingsDirectory, _acme.Tenant.Id, Portal.MasterKey)).Recording.Id;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData(PortalRole.Operator)]
    [InlineData(PortalRole.ResellerAdmin)]
    [InlineData(PortalRole.TenantAdmin)]
    [InlineData(PortalRole.ComplianceOfficer)]
    public async Task EveryPortalCell_IsAsDocsRolesSays(PortalRole role)
    {
        var table = PortalTable();
        Assert.All(Walked, action => Assert.True(table.ContainsKey(action), $"{action} is not in docs/roles.md"));
        var page = await SignInAsync(role);
        var failures = new List<string>();

        foreach (var action in Walked)
        {
            var expected = table[action][Column(role)];
            var seen = await SeesAsync(page, action, expected);
            if (seen != expected)
            {
                failures.Add($"{action}: docs/roles.md says {(expected ? "yes" : "no")} for {role}, the portal {(seen ? "allows" : "refuses")} it");
            }
        }

        Assert.Empty(failures);
    }

    // Looks at the cell; waits for the expected sight (bounded), so a slow page is not taken for a refusal.
    private async Task<bool> SeesAsync(IPage page, string action, bool expected)
    {
        var tenant = _acme.Tenant.Id;
        if (action == "ViewJobs")
        {
            var response = await page.Context.APIRequest.GetAsync("/hangfire", new() { MaxRedirects = 0 });
            return response.Status == 200;
        }

        if (action == "ExportRecordings")
        {
            var response = await page.Context.APIRequest.GetAsync($"/recording-export/{tenant}?ids={_recordingId}");
            return response.Status == 200;
        }

        var (path, ready, marker) = action switch
        {
            "ViewTenants" => ($"/tenants/{tenant}", "main h1", "main h1:has-text('Acme')"),
            "ManageTenants" => ("/tenants/new", "main h1", "main form button[type=submit]"),
            "ManageApiKeys" => ("/api-keys", "main h1", "main form button[type=submit]"),
            "ManageTrustAnchors" => ("/trust-anchors", "main h1", "[data-testid=trust-anchors]"),
            "ManageExtensions" => ($"/tenants/{tenant}/extensions", "main h1:has-text('Extensions of')", "button:has-text('Add extension')"),
            "ManageHandsets" => ($"/tenants/{tenant}/handsets", $"tr[data-mac='{IssueMac}']", "#handset-mac"),
            "IssueHandsetCertificate" => ($"/tenants/{tenant}/handsets", $"tr[data-mac='{IssueMac}']", $"tr[data-mac='{IssueMac}'] button:has-text('Issue certificate')"),
            "RevokeHandsetCertificate" => ($"/tenants/{tenant}/handsets", $"tr[data-mac='{RevokeMac}']", $"tr[data-mac='{RevokeMac}'] button:has-text('Revoke')"),
            "ViewCalls" => ("/calls", "main h1", "main h1:has-text('Call history')"),
            "ViewLiveCalls" => ("/live", "main h1", "main h1:has-text('Live registrations')"),
            "ViewAuditLog" => ("/audit", "main h1", "main h1:has-text('Audit log')"),
            "ViewRecordings" => ($"/tenants/{tenant}/recordings", "main h1", $"tr[data-recording='{_recordingId}']"),
            "ManagePersonalApiKeys" => ("/recordings/api-keys", "main h1", "main form button[type=submit]"),
            "GrantRecordingListening" => ($"/tenants/{tenant}/recording-settings", "main h1", "#grant-listening"),
            "ManageLegalHolds" => ($"/tenants/{tenant}/legal-holds", "main h1", "main button:has-text('Place hold')"),
            "ManageCarriers" => ("/carriers", "main h1", "main button:has-text('Add carrier')"),
            "ManagePstn" => ($"/tenants/{tenant}/routes", "main h1", "main button:has-text('Add route')"),
            "ManageFraudSettings" => ($"/tenants/{tenant}/fraud", "main h1", "main button:has-text('Save guards')"),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, "no way to look at this cell"),
        };

        await Portal.OpenAsync(page, path);
        try
        {
            if (expected)
            {
                await Assertions.Expect(page.Locator(marker).First).ToBeVisibleAsync();
            }
            else
            {
                await Assertions.Expect(page.Locator(ready).First).ToBeVisibleAsync();
            }
        }
        catch (PlaywrightException)
        {
            return !expected;
        }

        return await page.Locator(marker).CountAsync() > 0;
    }

    private async Task<IPage> SignInAsync(PortalRole role)
    {
        var (login, password) = role switch
        {
            PortalRole.Operator => await portal.AddUserAsync(role),
            PortalRole.ResellerAdmin => await portal.AddUserAsync(role, resellerId: _acme.Reseller.Id),
            _ => await portal.AddUserAsync(role, tenantId: _acme.Tenant.Id),
        };
        var page = await portal.NewPageAsync();
        await Portal.SignInAsync(page, login, password);
        if (role is PortalRole.Operator or PortalRole.ComplianceOfficer)
        {
            await page.WaitForURLAsync("**/account/enrol**");
            var key = await page.GetByTestId("shared-key").InnerTextAsync();
            await page.FillAsync("#code", Totp.Code(key, DateTimeOffset.UtcNow));
            await page.ClickAsync("button[type=submit]");
            await page.WaitForURLAsync(portal.BaseUrl + "");
        }

        await Assertions.Expect(page.Locator("nav.side")).ToBeVisibleAsync();
        return page;
    }

    private static int Column(PortalRole role) => role switch
    {
        PortalRole.Operator => 0,
        PortalRole.ResellerAdmin => 1,
        PortalRole.TenantAdmin => 2,
        PortalRole.ComplianceOfficer => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    // The rows of the "## Portal" table: action (its first word) → allowed for operator, reseller admin, tenant admin, compliance officer.
    private static Dictionary<string, bool[]> PortalTable()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "roles.md"));
        var start = Array.IndexOf(lines, "## Portal");
        var rows = new Dictionary<string, bool[]>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries)[1..^1];
            var action = cells[0].Split(' ')[0];
            rows[action] = [.. cells[2..6].Select(c => c.Trim('*').StartsWith("yes", StringComparison.Ordinal))];
        }

        return rows;
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "HostedPbx.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("The tests run outside the repository.");
    }

    private static async Task AddDeviceWithActiveCertificateAsync(Data.PbxDbContext owner, Guid tenantId, string mac)
    {
        var now = TestClock.Now;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Matrix test vendor CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(2));
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest($"CN={mac}", leafKey, HashAlgorithmName.SHA256);
        using var leaf = leafRequest.Create(ca, now.AddDays(-1), now.AddYears(1), [1, 2, 3, 4]);

        var anchor = TrustAnchor.For(ca, TrustAnchorKind.Vendor, "Matrix test vendor CA", now);
        anchor.Vendor = DeviceVendor.Yealink;
        owner.TrustAnchors.Add(anchor);
        var device = new Device { TenantId = tenantId, Mac = mac, Vendor = DeviceVendor.Yealink, Model = "T54W", CreatedAt = now };
        owner.Devices.Add(device);
        var certificate = new DeviceCertificate
        {
            TenantId = tenantId, DeviceId = device.Id, IssuerId = anchor.Id, Serial = leaf.SerialNumber.ToLowerInvariant(),
            Fingerprint = Convert.ToHexStringLower(SHA256.HashData(leaf.RawData)), Subject = leaf.Subject, Mac = mac,
            NotBefore = now.AddDays(-1), NotAfter = now.AddYears(1), Source = CertificateSource.Uploaded, CertificateDer = leaf.RawData,
            CreatedAt = now,
        };
        owner.DeviceCertificates.Add(certificate);
        await owner.SaveChangesAsync();
        device.ActiveCertificateId = certificate.Id;
        await owner.SaveChangesAsync();
    }
}
