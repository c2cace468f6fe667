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
        Assert.Equal(RecordingControlAction.Pause, control.Action);
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

    [Fact]
    public async Task Start_OnDemandCallInProgress_TellsTheSwitchAndAuditsIt()
    {
        var call = await CallInProgressAsync(RecordingMode.OnDemand);
        await using var listener = new Npgsql.NpgsqlConnection(database.OwnerConnectionString);
        await listener.OpenAsync(_cancel);
        var heard = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.Notification += (_, e) => heard.TrySetResult(e.Payload);
        await using (var listen = new Npgsql.NpgsqlCommand($"LISTEN {RecordingControl.Channel}", listener))
        {
            await listen.ExecuteNonQueryAsync(_cancel);
        }

        var response = await _client.PostAsync(Control(call, "start"), null, _cancel);
        await listener.WaitAsync(_cancel);
        var control = RecordingControl.TryParse(await heard.Task);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(new RecordingControl(RecordingControlAction.Start, call.Id, "API key test"), control);
        var audit = await AuditAsync("recording.start");
        Assert.Equal((AuditOutcome.Success, "call", call.Id.ToString()), (audit.Outcome, audit.TargetKind, audit.TargetId));
    }

    [Fact]
    public async Task Start_PolicyAlways_Returns409NamingThePolicyAndAuditsTheRefusal()
    {
        var call = await CallInProgressAsync(RecordingMode.Always);

        var response = await _client.PostAsync(Control(call, "start"), null, _cancel);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>(_cancel);
        Assert.Matches("^The call's recording policy \"Always policy [0-9a-f]{32}\" is Always, not on demand", problem!.Detail);
        Assert.Equal(AuditOutcome.Denied, (await AuditAsync("recording.start")).Outcome);
    }

    [Fact]
    public async Task Start_AlreadyRecording_Returns409()
    {
        var call = await CallInProgressAsync(RecordingMode.OnDemand, recording: true);

        var response = await _client.PostAsync(Control(call, "start"), null, _cancel);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("already being recorded", await response.Content.ReadAsStringAsync(_cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_NothingRecording_Returns409AndStopWhileRecordingIsAccepted()
    {
        var idle = await CallInProgressAsync(RecordingMode.OnDemand);
        var recorded = await CallInProgressAsync(RecordingMode.OnDemand, recording: true);

        var refused = await _client.PostAsync(Control(idle, "stop"), null, _cancel);
        var accepted = await _client.PostAsync(Control(recorded, "stop"), null, _cancel);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("nothing to stop", await refused.Content.ReadAsStringAsync(_cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }

    [Fact]
    public async Task StartAndStop_CallEndedOrUnknown_Return409And404()
    {
        await using var owner = database.CreateOwnerContext();
        var ended = await TestCalls.AddAsync(owner, _tenant.Tenant.Id);

        var afterEnd = await _client.PostAsync(Control(ended, "start"), null, _cancel);
        var unknown = await _client.PostAsync($"/api/v1/tenants/{_tenant.Tenant.Id}/calls/{Guid.NewGuid()}/recording/stop", null, _cancel);

        Assert.Equal(HttpStatusCode.Conflict, afterEnd.StatusCode);
        Assert.Contains("The call has ended", await afterEnd.Content.ReadAsStringAsync(_cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    // A call the switch carries now (no end yet), answered under a policy of the given mode, and its recording running if asked.
    private async Task<CallRecord> CallInProgressAsync(RecordingMode mode, bool recording = false)
    {
        await using var owner = database.CreateOwnerContext();
        var call = await TestCalls.AddAsync(owner, _tenant.Tenant.Id);
        var policy = new RecordingPolicy { TenantId = _tenant.Tenant.Id, Name = $"{mode} policy {Guid.NewGuid():N}", Mode = mode, CreatedAt = TestClock.Now };
        owner.RecordingPolicies.Add(policy);
        call.EndedAt = null;
        call.Outcome = CallOutcome.InProgress;
        call.RecordingPolicyId = policy.Id;
        if (recording)
        {
            owner.Recordings.Add(new Recording
            {
                TenantId = _tenant.Tenant.Id, CallRecordId = call.Id, StoragePath = $"{Guid.NewGuid():N}.sealed", WrappedDataKey = [1], StartedAt = TestClock.Now,
                RecordingPolicyId = policy.Id,
            });
        }

        await owner.SaveChangesAsync(_cancel);
        return call;
    }

    private string Control(CallRecord call, string action) => $"/api/v1/tenants/{_tenant.Tenant.Id}/calls/{call.Id}/recording/{action}";

    private string Url(string rest) => $"/api/v1/tenants/{_tenant.Tenant.Id}/recordings{rest}";

    private async Task<AuditEvent> AuditAsync(string action)
    {
        await using var db = database.CreateOwnerContext();
        return await db.AuditEvents.AsNoTracking().Where(a => a.Action == action).OrderByDescending(a => a.OccurredAt).FirstAsync(_cancel);
    }
}
