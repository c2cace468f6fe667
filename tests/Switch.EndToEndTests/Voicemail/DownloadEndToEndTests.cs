using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Security;
using HostedPbx.Switch.EndToEndTests.Observability;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests.Voicemail;

/// <summary>
/// The download half of issue 9's first "Done when" line: a message 201 left by a real baresip handset is downloaded
/// through <c>/api/v1</c> (with an operator's API key) and through the portal's audio link (signed in as the tenant's
/// admin, with the portal's own sign-in form and cookie), each run as its own process over the switch's voicemail
/// folder and master key. Both downloads are 201's speech; the file on disk is not.
/// </summary>
public sealed partial class DownloadEndToEndTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task MessageFrom201_DownloadedThroughApiAndPortal_CorrelatesWithTheSpeech_WhileTheFileOnDiskIsCiphertext()
    {
        await using var sut = await SwitchUnderTest.StartAsync(database, _cancel);
        Guid extensionId;
        await using (var db = database.CreateOwnerContext())
        {
            await db.Extensions.Where(e => e.Number == "202").ExecuteUpdateAsync(s => s.SetProperty(e => e.VoicemailEnabled, true), _cancel);
            extensionId = await db.Extensions.Where(e => e.Number == "202").Select(e => e.Id).SingleAsync(_cancel);
        }

        // Provisioning and the portal come up while the message is left: they read the switch's folder with the same master key.
        var (certificate, key) = TestServerCertificate.Files;
        var apiPort = PartProcess.FreePort();
        await using var provisioning = PartProcess.Start("Provisioning", new Dictionary<string, string?>
        {
            ["Database__ConnectionString"] = database.AppConnectionString,
            ["Kestrel__Endpoints__Api__Url"] = $"http://127.0.0.1:{apiPort}",
            ["Kestrel__Endpoints__Provision__Url"] = $"https://127.0.0.1:{PartProcess.FreePort()}",
            ["Kestrel__Endpoints__Provision__Certificate__Path"] = certificate,
            ["Kestrel__Endpoints__Provision__Certificate__KeyPath"] = key,
            ["Provisioning__SwitchCaPath"] = certificate,
            ["Keys__MasterKeyFile"] = sut.MasterKeyFile,
            ["Voicemail__Directory"] = sut.VoicemailDirectory,
        });
        var webPort = PartProcess.FreePort();
        var webHealthPort = PartProcess.FreePort();
        await using var web = PartProcess.Start("Web", new Dictionary<string, string?>
        {
            ["Database__ConnectionString"] = database.AppConnectionString,
            // The portal's cookie is Secure: the browser side (here an HttpClient) sends it over HTTPS only.
            ["Kestrel__Endpoints__Https__Url"] = $"https://127.0.0.1:{webPort}",
            ["Kestrel__Endpoints__Https__Certificate__Path"] = certificate,
            ["Kestrel__Endpoints__Https__Certificate__KeyPath"] = key,
            ["Kestrel__Endpoints__Health__Url"] = $"http://127.0.0.1:{webHealthPort}",
            ["Keys__MasterKeyFile"] = sut.MasterKeyFile,
            ["Voicemail__Directory"] = sut.VoicemailDirectory,
        });

        var speech = await Audio.MakeSpeechAsync(sut.WorkDirectory, 16, 1.5, _cancel);
        await using var alice = BaresipPeer.Start(
            sut.WorkDirectory, "alice", "201", sut.SipPort, sut.DeviceCertificate("201").CombinedPem(), sut.Root.Certificate.ExportCertificatePem(), speech, 120);
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.Registrations.AsNoTracking().AnyAsync(_cancel) ? "registered" : null;
        }, TimeSpan.FromSeconds(20), () => "201's REGISTER\n" + sut.Output + alice.Log);
        await alice.CommandAsync("dial", $"sip:202@127.0.0.1:{sut.SipPort}", _cancel);
        var message = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.VoicemailMessages.AsNoTracking().FirstOrDefaultAsync(m => m.AudioSha256 != null, _cancel);
        }, TimeSpan.FromSeconds(90), () => "a completed message\n" + sut.Output + alice.Log);
        var voiced = SpeechSearch.Voiced(Audio.ReadWav(speech));

        await ObservedPlatform.WaitHealthyAsync(provisioning, apiPort);
        using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}") };
        api.DefaultRequestHeaders.Add("X-Api-Key", await OperatorKeyAsync());
        var tenantId = sut.Tenant!.Id;
        using var fromApi = await api.GetAsync(
            new Uri($"/api/v1/tenants/{tenantId}/extensions/{extensionId}/voicemail/{message.Id}/audio", UriKind.Relative), _cancel);
        Assert.True(fromApi.IsSuccessStatusCode, $"API download: {(int)fromApi.StatusCode}\n{provisioning.Error}");
        var apiCorrelation = Correlation(voiced, await SaveAsync(sut, "api", fromApi));
        Assert.True(apiCorrelation >= 0.9, $"the API's download correlates {apiCorrelation:0.000} with the speech");

        await ObservedPlatform.WaitHealthyAsync(web, webHealthPort);
        using var portal = await SignedInPortalAsync(webPort, tenantId, certificate);
        using var fromPortal = await portal.GetAsync(new Uri($"/voicemail-audio/{tenantId:D}/{message.Id:D}?download=true", UriKind.Relative), _cancel);
        Assert.Equal(HttpStatusCode.OK, fromPortal.StatusCode);
        Assert.Equal("audio/wav", fromPortal.Content.Headers.ContentType?.MediaType);
        var portalCorrelation = Correlation(voiced, await SaveAsync(sut, "portal", fromPortal));
        Assert.True(portalCorrelation >= 0.9, $"the portal's download correlates {portalCorrelation:0.000} with the speech");

        // At rest the message is ciphertext: read as 16-bit audio it does not resemble the speech at all.
        var file = await File.ReadAllBytesAsync(Path.Combine(sut.VoicemailDirectory, message.StoragePath), _cancel);
        float[] raw = [.. MemoryMarshal.Cast<byte, short>(file.AsSpan(0, file.Length & ~1)).ToArray().Select(s => (float)s)];
        var atRest = Audio.MaxNormalizedCorrelation(voiced, raw, 1600);
        Assert.True(atRest < 0.2, $"the file on disk correlates {atRest:0.000} with the speech");

        await using var check = database.CreateOwnerContext();
        var actions = await check.AuditEvents.Where(e => e.TargetId == message.Id.ToString()).Select(e => e.Action).ToListAsync(_cancel);
        Assert.Equal(2, actions.Count(a => a == "voicemail.download"));
    }

    private static double Correlation(float[] voiced, string wav) =>
        Audio.MaxNormalizedCorrelation(voiced, SpeechSearch.Voiced(Audio.ReadWav(wav)), 1600);

    private async Task<string> SaveAsync(SwitchUnderTest sut, string name, HttpResponseMessage response)
    {
        var path = Path.Combine(sut.WorkDirectory, $"download-{name}.wav");
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync(_cancel), _cancel);
        return path;
    }

    private async Task<string> OperatorKeyAsync()
    {
        var secret = ApiKeySecret.Create();
        await using var owner = database.CreateOwnerContext();
        owner.ApiKeys.Add(new ApiKey { ResellerId = null, Name = "e2e download", Prefix = secret.Prefix, SecretHash = secret.Hash, CreatedAt = TestClock.Now });
        await owner.SaveChangesAsync(_cancel);
        return secret.Plaintext;
    }

    /// <summary>
    /// A tenant admin signed in through the portal's own sign-in form (its antiforgery token and form handler included),
    /// holding the portal's cookie; the portal's certificate is trusted by its thumbprint and nothing else.
    /// </summary>
    private async Task<HttpClient> SignedInPortalAsync(int port, Guid tenantId, string certificatePath)
    {
        var login = $"vm-admin-{Guid.NewGuid():N}@test.example"[..32];
        var password = "Pw-" + Guid.NewGuid().ToString("N");
        var user = new PortalUser
        {
            Id = Guid.CreateVersion7(), UserName = login, NormalizedUserName = login.ToUpperInvariant(), Email = login,
            NormalizedEmail = login.ToUpperInvariant(), EmailConfirmed = true, DisplayName = "Voicemail admin", Role = PortalRole.TenantAdmin,
            TenantId = tenantId, CreatedAt = TestClock.Now, SecurityStamp = Guid.NewGuid().ToString("N"),
            ConcurrencyStamp = Guid.NewGuid().ToString(), LockoutEnabled = true,
        };
        user.PasswordHash = new PasswordHasher<PortalUser>().HashPassword(user, password);
        await using (var owner = database.CreateOwnerContext())
        {
            owner.Users.Add(user);
            await owner.SaveChangesAsync(_cancel);
        }

        var thumbprint = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(certificatePath, _cancel)).Thumbprint;
        var handler = new HttpClientHandler
        {
            CookieContainer = new CookieContainer(),
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == thumbprint,
        };
        var client = new HttpClient(handler, disposeHandler: true) { BaseAddress = new Uri($"https://127.0.0.1:{port}") };
        var form = await client.GetStringAsync(new Uri("/account/sign-in", UriKind.Relative), _cancel);
        var fields = HiddenInput().Matches(form)
            .Select(input => Attribute().Matches(input.Value).ToDictionary(a => a.Groups["attribute"].Value, a => WebUtility.HtmlDecode(a.Groups["text"].Value)))
            .Where(a => a.ContainsKey("name"))
            .ToDictionary(a => a["name"], a => a.GetValueOrDefault("value", ""));
        fields["Input.Login"] = login;
        fields["Input.Password"] = password;
        using var body = new FormUrlEncodedContent(fields);
        using var signedIn = await client.PostAsync(new Uri("/account/sign-in", UriKind.Relative), body, _cancel);
        Assert.True(
            handler.CookieContainer.GetCookies(client.BaseAddress).Any(c => c.Name == "hostedpbx.portal"),
            $"no portal cookie after signing in ({(int)signedIn.StatusCode}); hidden fields: {string.Join(", ", fields.Keys)}");
        return client;
    }

    [GeneratedRegex(@"<input\b[^>]*\btype=""hidden""[^>]*>")]
    private static partial Regex HiddenInput();

    [GeneratedRegex(@"\b(?<attribute>name|value)=""(?<text>[^""]*)""")]
    private static partial Regex Attribute();
}
