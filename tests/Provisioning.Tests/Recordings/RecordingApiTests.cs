using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Recordings;
using HostedPbx.Provisioning.Tests.Support;
using HostedPbx.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Tests.Recordings;

/// <summary>The recordings routes with a reseller's key: refused until the tenant grants listening, then served verified, every use audited.</summary>
public sealed class RecordingApiTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;
    private readonly string _folder = Directory.CreateTempSubdirectory("api-recordings-").FullName;
    private readonly ProvisioningFactory _factory = new(database);
    private WebApplicationFactory<Program> _app = null!;
    private TestTenants.Arranged _tenant = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        await using var owner = database.CreateOwnerContext();
        _tenant = await TestTenants.AddAsync(owner, "Acme", "0015651a0001");
        _app = _factory.WithWebHostBuilder(b => b.UseSetting("Recordings:Directory", _folder));
        var key = await _factory.AddKeyAsync(_tenant.Reseller.Id);
        _client = _app.CreateClient();
        _client.DefaultRequestHeaders.Add("X-Api-Key", key);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _factory.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Audio_WithoutTheTenantsGrant_Returns404AndAuditsTheRefusal()
    {
        var (recording, _) = await TestRecordings.AddAsync(database, _folder, _tenant.Tenant.Id, ProvisioningFactory.MasterKey);

        var audio = await _client.GetAsync(Url($"/{recording.Id}/audio"), _cancel);
        var search = await _client.GetAsync(Url(""), _cancel);

        Assert.Equal(HttpStatusCode.NotFound, audio.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, search.StatusCode);
        var denied = await AuditAsync("recording.play");
        Assert.Equal(AuditOutcome.Denied, denied.Outcome);
        Assert.Contains("not granted", denied.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("grant", await audio.Content.ReadAsStringAsync(_cancel), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Audio_Granted_StreamsTheDecryptedWavWithRangesAndAuditsThePlay()
    {
        var (recording, pcm) = await TestRecordings.AddAsync(database, _folder, _tenant.Tenant.Id, ProvisioningFactory.MasterKey);
        await TestRecordings.GrantAsync(database, _tenant.Tenant.Id);

        var whole = await _client.GetByteArrayAsync(Url($"/{recording.Id}/audio"), _cancel);
        using var ranged = new HttpRequestMessage(HttpMethod.Get, Url($"/{recording.Id}/audio"));
        ranged.Headers.Range = new RangeHeaderValue(44 + 16000, 44 + 16000 + 99);
        var part = await _client.SendAsync(ranged, _cancel);

        Assert.Equal(pcm, whole[44..]);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(pcm[16000..16100], await part.Content.ReadAsByteArrayAsync(_cancel));
        var play = await AuditAsync("recording.play");
        Assert.Equal(AuditOutcome.Success, play.Outcome);
        Assert.Equal(recording.Id.ToString(), play.TargetId);
        Assert.Equal(_tenant.Tenant.Id, play.TenantId);
    }

    [Fact]
    public async Task Audio_FileAlteredOnDisk_IsRefusedAsFailingVerification()
    {
        var (recording, _) = await TestRecordings.AddAsync(database, _folder, _tenant.Tenant.Id, ProvisioningFactory.MasterKey);
        await TestRecordings.GrantAsync(database, _tenant.Tenant.Id);
        var path = Path.Combine(_folder, recording.StoragePath);
        var bytes = await File.ReadAllBytesAsync(path, _cancel);
        bytes[^40] ^= 0x80;
        await File.WriteAllBytesAsync(path, bytes, _cancel);

        var response = await _client.GetAsync(Url($"/{recording.Id}/audio"), _cancel);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(_cancel);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("Recording failed verification", problem.GetProperty("title").GetString());
        Assert.NotEqual("audio/wav", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(AuditOutcome.Failed, (await AuditAsync("recording.play")).Outcome);
    }

    [Fact]
    public async Task Manifest_Granted_IsTheSignedBytesAndItsSignatureVerifiesWithThePublicKey()
    {
        var (recording, _) = await TestRecordings.AddAsync(database, _folder, _tenant.Tenant.Id, ProvisioningFactory.MasterKey);
        await TestRecordings.GrantAsync(database, _tenant.Tenant.Id);

        var body = await _client.GetFromJsonAsync<JsonElement>(Url($"/{recording.Id}/manifest"), _cancel);
        var manifest = body.GetProperty("manifest").GetString()!;
        var publicKey = body.GetProperty("publicKeyPem").GetString()!;
        using var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(publicKey);

        Assert.Equal(recording.ManifestSha256, RecordingManifest.Sha256Hex(manifest));
        Assert.True(RecordingSigner.Verify(key.ExportSubjectPublicKeyInfo(), Encoding.UTF8.GetBytes(manifest), Convert.FromBase64String(body.GetProperty("signatureBase64").GetString()!)));
        Assert.Contains(recording.AudioSha256!, manifest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchAndVerify_Granted_ListTheTenantsRecordingsAndNameTheMissingOne()
    {
        var first = (await TestRecordings.AddAsync(database, _folder, _tenant.Tenant.Id, ProvisioningFactory.MasterKey)).Recording;
        var second = (await TestRecordings.AddAsync(database, _folder, _tenant.Tenant.Id, ProvisioningFactory.MasterKey)).Recording;
        await TestRecordings.GrantAsync(database, _tenant.Tenant.Id);
        File.Delete(Path.Combine(_folder, first.StoragePath));

        var search = await _client.GetFromJsonAsync<JsonElement>(Url("?party=202"), _cancel);
        var verify = await _client.PostAsync(Url("/verify"), null, _cancel);
        var result = await verify.Content.ReadFromJsonAsync<JsonElement>(_cancel);

        Assert.Equal([second.Id, first.Id], search.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        Assert.False(result.GetProperty("intact").GetBoolean());
        var finding = Assert.Single(result.GetProperty("findings").EnumerateArray());
        Assert.Equal(first.Id, finding.GetProperty("recordingId").GetGuid());
        Assert.Equal("Missing", finding.GetProperty("problem").GetString());
        Assert.Equal(AuditOutcome.Success, (await AuditAsync("recording.search")).Outcome);
        Assert.Equal(AuditOutcome.Failed, (await AuditAsync("recording.verify")).Outcome);
    }

    [Fact]
    public async Task Verify_TenantWithNoRecordings_Returns409SayingSo()
    {
        await TestRecordings.GrantAsync(database, _tenant.Tenant.Id);

        var response = await _client.PostAsync(Url("/verify"), null, _cancel);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("no completed recordings", await response.Content.ReadAsStringAsync(_cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pause_CallBeingRecorded_TellsTheSwitchWhoPausedAndAuditsIt()
    {
        await using var owner = database.CreateOwnerContext();
        var call = await TestCalls.AddAsync(owner, _tenant.Tenant.Id);
        var recording = new Recording
        {
            TenantId = _tenant.Tenant.Id, CallRecordId = call.Id, StoragePath = $"{Guid.NewGuid():N}.sealed", WrappedDataKey = [1], StartedAt = TestClock.Now,
        };
        owner.Recordings.Add(recording);
        await owner.SaveChangesAsync(_cancel);
        await using var listener = new Npgsql.NpgsqlConnection(database.OwnerConnectionString);
        await listener.OpenAsync(_cancel);
        var heard = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.Notification += (_, e) => heard.TrySetResult(e.Payload);
        await using (var listen = new Npgsql.NpgsqlCommand($"LISTEN {RecordingControl.Channel}", listener))
        {
            await listen.ExecuteNonQueryAsync(_cancel);
        }

        var response = await _client.PostAsync($"/api/v1/tenants/{_tenant.Tenant.Id}/calls/{call.Id}/recording/pause", null, _cancel);
        await listener.WaitAsync(_cancel);
        var control = RecordingControl.TryParse(await heard.Task);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.NotNull(control);
        Assert.True(control.Pause);
        Assert.Equal(call.Id, control.CallId);
        Assert.Equal("API key test", control.By);
        Assert.Equal(recording.Id.ToString(), (await AuditAsync("recording.pause")).TargetId);
    }

    [Fact]
    public async Task Pause_NothingRecordedOnTheCall_Returns409SayingSo()
    {
        await using var owner = database.CreateOwnerContext();
        var call = await TestCalls.AddAsync(owner, _tenant.Tenant.Id);

        var response = await _client.PostAsync($"/api/v1/tenants/{_tenant.Tenant.Id}/calls/{call.Id}/recording/pause", null, _cancel);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("Nothing is being recorded on this call", await response.Content.ReadAsStringAsync(_cancel), StringComparison.Ordinal);
    }

    private string Url(string rest) => $"/api/v1/tenants/{_tenant.Tenant.Id}/recordings{rest}";

    private async Task<AuditEvent> AuditAsync(string action)
    {
        await using var db = database.CreateOwnerContext();
        return await db.AuditEvents.AsNoTracking().Where(a => a.Action == action).OrderByDescending(a => a.OccurredAt).FirstAsync(_cancel);
    }
}
