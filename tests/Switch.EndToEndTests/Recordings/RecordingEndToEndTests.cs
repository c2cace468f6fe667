using System.Security.Cryptography;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Media;
using HostedPbx.Data.Recordings;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests.Recordings;

/// <summary>Real baresip handsets call through the real switch under the tenant's policy "always"; the recording is checked as evidence.</summary>
public sealed class RecordingEndToEndTests(PostgresFixture database) : IAsyncLifetime
{
    private static readonly string s_masterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Call_UnderPolicyAlways_RecordsSpeechLeftAndToneRightEncryptedAtRest()
    {
        var recordings = Path.Combine(Path.GetTempPath(), $"hostedpbx-recordings-{Guid.NewGuid():N}");
        await using var sut = await SwitchUnderTest.StartAsync(database, Settings(recordings), null, _cancel);
        await SetPolicyAsync(sut.Tenant!.Id, RecordingMode.Always);
        var speech = await Audio.MakeSpeechAsync(sut.WorkDirectory, _cancel);
        var tone = await MakeToneAsync(sut.WorkDirectory);
        var ca = sut.Root.Certificate.ExportCertificatePem();
        await using var bob = BaresipPeer.Start(sut.WorkDirectory, "bob", "202", sut.SipPort, sut.DeviceCertificate("202").CombinedPem(), ca, tone, 60);
        await using var alice = BaresipPeer.Start(sut.WorkDirectory, "alice", "201", sut.SipPort, sut.DeviceCertificate("201").CombinedPem(), ca, speech, 60);
        await WaitRegisteredAsync(sut, alice, bob);

        await alice.CommandAsync("dial", $"sip:202@127.0.0.1:{sut.SipPort}", _cancel);
        var recording = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.Recordings.AsNoTracking().FirstOrDefaultAsync(r => r.Status == RecordingStatus.Complete, _cancel);
        }, TimeSpan.FromSeconds(90), () => "the completed recording\n" + sut.Output + alice.Log);
        var call = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().FirstOrDefaultAsync(c => c.EndedAt != null && c.SecurityStatement != null, _cancel);
        }, TimeSpan.FromSeconds(30), () => "the call record\n" + sut.Output);

        var path = Path.Combine(recordings, recording.StoragePath);
        // Downloaded as the Done-when says: through the API, with the tenant's compliance officer's personal key.
        var (wav, officer) = await DownloadAsOfficerAsync(sut.Tenant.Id, recording.Id, recordings);
        var audio = RecordedCall.FromWav(wav);
        var sent = Audio.ReadWav(speech);
        var left = Audio.MaxNormalizedCorrelation(sent, audio.Left, 16000);
        var disk = await File.ReadAllBytesAsync(path, _cancel);
        await using (var db = database.CreateOwnerContext())
        {
            var download = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == "recording.play" && e.TargetId == recording.Id.ToString(), _cancel);
            Assert.Equal(AuditOutcome.Success, download.Outcome);
            Assert.Equal(officer, download.ActorName);
        }

        Assert.Equal(ReadWav(path, recording), wav);

        Assert.Equal(call.Id, recording.CallRecordId);
        Assert.True(call.Recorded);
        Assert.Equal(recording.RecordingPolicyId, call.RecordingPolicyId);
        Assert.False(recording.CutShort);
        Assert.Equal(1, recording.ChainIndex);
        Assert.Contains("\"mode\": \"Always\"", recording.Manifest, StringComparison.Ordinal);
        Assert.True(left >= 0.9, $"speech correlation in the left channel {left:0.000}\n{sut.Output}");
        Assert.True(RecordedCall.ToneShare(audio.Right, 1000) > 0.8, $"1 kHz share of the right channel {RecordedCall.ToneShare(audio.Right, 1000):0.000}");
        Assert.True(RecordedCall.ToneShare(audio.Left, 1000) < 0.05, "the tone leaked into the caller's channel");
        // Ciphertext at rest: no 32-byte run of the recorded PCM is in the file.
        var pcm = wav[44..];
        var checkedRuns = 0;
        for (var offset = 0; offset + 32 <= pcm.Length; offset += 8000)
        {
            if (pcm.AsSpan(offset, 32).IndexOfAnyExcept((byte)0) < 0)
            {
                continue;
            }

            checkedRuns++;
            Assert.True(disk.AsSpan().IndexOf(pcm.AsSpan(offset, 32)) < 0, $"plain audio at {offset} is on disk");
        }

        Assert.True(checkedRuns > 10, $"only {checkedRuns} runs of audio to look for");
    }

    [Fact]
    public async Task VerifyRecordings_OneFileDeletedAndOneByteOfAnotherAltered_NamesExactlyThoseTwo()
    {
        var recordings = Path.Combine(Path.GetTempPath(), $"hostedpbx-recordings-{Guid.NewGuid():N}");
        await using var sut = await SwitchUnderTest.StartAsync(database, Settings(recordings), null, _cancel);
        await SetPolicyAsync(sut.Tenant!.Id, RecordingMode.Always);
        var speech = await Audio.MakeSpeechAsync(sut.WorkDirectory, 0.2, 0.3, _cancel);
        var tone = await MakeToneAsync(sut.WorkDirectory);
        var ca = sut.Root.Certificate.ExportCertificatePem();
        await using var bob = BaresipPeer.Start(sut.WorkDirectory, "bob", "202", sut.SipPort, sut.DeviceCertificate("202").CombinedPem(), ca, tone, 120);
        await using var alice = BaresipPeer.Start(sut.WorkDirectory, "alice", "201", sut.SipPort, sut.DeviceCertificate("201").CombinedPem(), ca, speech, 120);
        await WaitRegisteredAsync(sut, alice, bob);

        // Three recorded calls, one after the other: 201 hangs up when its speech ends.
        var complete = new List<Recording>();
        for (var call = 1; call <= 3; call++)
        {
            await alice.CommandAsync("dial", $"sip:202@127.0.0.1:{sut.SipPort}", _cancel);
            complete = await Eventually.GetAsync(async () =>
            {
                await using var db = database.CreateOwnerContext();
                var rows = await db.Recordings.AsNoTracking().Where(r => r.Status == RecordingStatus.Complete).OrderBy(r => r.ChainIndex).ToListAsync(_cancel);
                return rows.Count >= call ? rows : null;
            }, TimeSpan.FromSeconds(90), () => $"recording {call}\n" + sut.Output + alice.Log);
        }

        var intact = await VerifyWithAdminAsync(sut.Tenant.Id, recordings);
        File.Delete(Path.Combine(recordings, complete[0].StoragePath));
        var altered = Path.Combine(recordings, complete[2].StoragePath);
        var bytes = await File.ReadAllBytesAsync(altered, _cancel);
        bytes[bytes.Length - 100] ^= 0x01;
        await File.WriteAllBytesAsync(altered, bytes, _cancel);
        var broken = await VerifyWithAdminAsync(sut.Tenant.Id, recordings);

        Assert.Equal(0, intact.ExitCode);
        Assert.Contains("intact (3 recording(s))", intact.Output, StringComparison.Ordinal);
        Assert.Equal(1, broken.ExitCode);
        var named = broken.Output.Split('\n').Where(l => l.StartsWith("missing:", StringComparison.Ordinal) || l.StartsWith("altered:", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, named.Count);
        Assert.StartsWith($"missing: recording {complete[0].Id:D}", named[0], StringComparison.Ordinal);
        Assert.StartsWith($"altered: recording {complete[2].Id:D}", named[1], StringComparison.Ordinal);
        Assert.DoesNotContain(complete[1].Id.ToString("D"), broken.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Switch_KilledMidRecording_RecoversThePlayableFileMarkedCutShort()
    {
        var recordings = Path.Combine(Path.GetTempPath(), $"hostedpbx-recordings-{Guid.NewGuid():N}");
        await using var sut = await SwitchUnderTest.StartAsync(database, Settings(recordings), null, _cancel);
        await SetPolicyAsync(sut.Tenant!.Id, RecordingMode.Always);
        // Speech, then a long silence: the call lasts until the switch is killed.
        var speech = await Audio.MakeSpeechAsync(sut.WorkDirectory, 0.2, 60, _cancel);
        var tone = await MakeToneAsync(sut.WorkDirectory);
        var ca = sut.Root.Certificate.ExportCertificatePem();
        await using var bob = BaresipPeer.Start(sut.WorkDirectory, "bob", "202", sut.SipPort, sut.DeviceCertificate("202").CombinedPem(), ca, tone, 120);
        await using var alice = BaresipPeer.Start(sut.WorkDirectory, "alice", "201", sut.SipPort, sut.DeviceCertificate("201").CombinedPem(), ca, speech, 120);
        await WaitRegisteredAsync(sut, alice, bob);

        await alice.CommandAsync("dial", $"sip:202@127.0.0.1:{sut.SipPort}", _cancel);
        // Several whole one-second segments are on disk (header plus segments of 32 KB of stereo PCM each).
        var open = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            var row = await db.Recordings.AsNoTracking().FirstOrDefaultAsync(r => r.Status == RecordingStatus.Recording, _cancel);
            var path = row is null ? null : Path.Combine(recordings, row.StoragePath);
            return path is not null && File.Exists(path) && new FileInfo(path).Length > 5 * 32000 ? row : null;
        }, TimeSpan.FromSeconds(60), () => "five seconds recorded\n" + sut.Output + alice.Log);
        await sut.KillAndRestartAsync();
        var recovered = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.Recordings.AsNoTracking().FirstOrDefaultAsync(r => r.Id == open.Id && r.Status == RecordingStatus.Complete, _cancel);
        }, TimeSpan.FromSeconds(60), () => "the recovered recording\n" + sut.Output);

        var audio = RecordedCall.FromWav(ReadWav(Path.Combine(recordings, recovered.StoragePath), recovered));
        var left = Audio.MaxNormalizedCorrelation(Audio.ReadWav(speech)[..(audio.Left.Length)], audio.Left, 16000);

        Assert.True(recovered.CutShort);
        Assert.Contains("\"cutShort\": true", recovered.Manifest, StringComparison.Ordinal);
        Assert.True(recovered.DurationMs >= 5000, $"{recovered.DurationMs} ms recovered");
        Assert.Equal(audio.Left.Length * 1000L / 8000, recovered.DurationMs);
        Assert.True(left >= 0.9, $"speech correlation of the recovered left channel {left:0.000}");
        Assert.True(RecordedCall.ToneShare(audio.Right, 1000) > 0.8, "the tone is in the recovered right channel");
    }

    [Fact]
    public async Task PciPause_DuringTheCall_LeavesASilentGapOfItsLengthMarkedWithWhoPaused()
    {
        var recordings = Path.Combine(Path.GetTempPath(), $"hostedpbx-recordings-{Guid.NewGuid():N}");
        await using var sut = await SwitchUnderTest.StartAsync(database, Settings(recordings), null, _cancel);
        await SetPolicyAsync(sut.Tenant!.Id, RecordingMode.Always);
        // Long silence after the speech, and Bob's tone of 40 s: the call lasts through the pause and the resume however slow
        // the machine, until Alice hangs up once the resumed recording has seconds of tone to check.
        var speech = await Audio.MakeSpeechAsync(sut.WorkDirectory, 0.2, 60, _cancel);
        var tone = await MakeToneAsync(sut.WorkDirectory);
        var ca = sut.Root.Certificate.ExportCertificatePem();
        await using var bob = BaresipPeer.Start(sut.WorkDirectory, "bob", "202", sut.SipPort, sut.DeviceCertificate("202").CombinedPem(), ca, tone, 120);
        await using var alice = BaresipPeer.Start(sut.WorkDirectory, "alice", "201", sut.SipPort, sut.DeviceCertificate("201").CombinedPem(), ca, speech, 120);
        await WaitRegisteredAsync(sut, alice, bob);

        await alice.CommandAsync("dial", $"sip:202@127.0.0.1:{sut.SipPort}", _cancel);
        var open = await Eventually.GetAsync(() => OpenRecordingAsync(recordings, 1), TimeSpan.FromSeconds(60), () => "a second recorded\n" + sut.Output);
        // What the API sends the switch for POST …/calls/{callId}/recording/pause and …/resume; the switch applies each
        // when its notice arrives, and says so.
        await NotifyAsync(new RecordingControl(RecordingControlAction.Pause, open.CallRecordId, "API key payments"));
        await Eventually.GetAsync(() => Task.FromResult(sut.Output.Contains($"Recording {open.Id} paused", StringComparison.Ordinal) ? open : null),
            TimeSpan.FromSeconds(30), () => "the pause applied\n" + sut.Output);
        // The file's gap is measured on the clock that stamps the packets, the caller's: wait for two and a half seconds of
        // what 201's handset encoded and sent (a loaded machine may run that clock slower than the wall's), so that a
        // packet still in flight at the resume cannot shorten the gap below two seconds.
        var paused = Sent(alice);
        await Eventually.GetAsync(() => Task.FromResult(Sent(alice) >= paused + (5 * 16000 / 2) ? open : null), TimeSpan.FromSeconds(60), "the call's audio during the pause");
        await NotifyAsync(new RecordingControl(RecordingControlAction.Resume, open.CallRecordId, "API key payments"));
        await Eventually.GetAsync(() => Task.FromResult(sut.Output.Contains($"Recording {open.Id} resumed", StringComparison.Ordinal) ? open : null),
            TimeSpan.FromSeconds(30), () => "the resume applied\n" + sut.Output);
        var resumed = Sent(alice);
        await Eventually.GetAsync(
            () => Task.FromResult(Sent(alice) >= resumed + (3 * 16000) ? open : null), TimeSpan.FromSeconds(60), "the call's audio after the resume");
        await alice.CommandAsync("hangup", "", _cancel);
        var recording = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.Recordings.AsNoTracking().FirstOrDefaultAsync(r => r.Id == open.Id && r.Status == RecordingStatus.Complete, _cancel);
        }, TimeSpan.FromSeconds(90), () => "the completed recording\n" + sut.Output);

        var audio = RecordedCall.FromWav(ReadWav(Path.Combine(recordings, recording.StoragePath), recording));
        using var manifest = System.Text.Json.JsonDocument.Parse(recording.Manifest!);
        var pause = Assert.Single(manifest.RootElement.GetProperty("pauses").EnumerateArray());
        var (startMs, endMs) = (pause.GetProperty("startMs").GetInt64(), pause.GetProperty("endMs").GetInt64());
        // Inside the gap (a packet's jitter in from each edge) neither side has a sample; outside it the tone goes on.
        var inside = Enumerable.Range((int)((startMs + 100) * 8), (int)((endMs - startMs - 200) * 8)).ToList();
        var after = audio.Right[(int)((endMs + 200) * 8)..Math.Min(audio.Right.Length, (int)((endMs + 1200) * 8))];

        Assert.Equal("API key payments", pause.GetProperty("pausedBy").GetString());
        Assert.True(endMs - startMs >= 1800, $"the pause lasted {endMs - startMs} ms");
        Assert.All(inside, i => Assert.True(audio.Left[i] == 0 && audio.Right[i] == 0, $"a sample at {i / 8} ms, inside the pause {startMs}-{endMs} ms"));
        Assert.True(RecordedCall.ToneShare(after, 1000) > 0.8, "the tone is back after the pause");
        Assert.True(recording.DurationMs >= endMs, "the timeline keeps the pause's length");
    }

    private async Task<Recording?> OpenRecordingAsync(string recordings, int seconds)
    {
        await using var db = database.CreateOwnerContext();
        var row = await db.Recordings.AsNoTracking().FirstOrDefaultAsync(r => r.Status == RecordingStatus.Recording, _cancel);
        return row is not null && Segments(recordings, row) >= seconds ? row : null;
    }

    /// <summary>Bytes of 16-bit 8 kHz audio the handset has encoded to send so far (one RTP packet per 20 ms of it).</summary>
    private static long Sent(BaresipPeer peer) =>
        Directory.GetFiles(peer.RecordingDirectory, "dump-*-enc.wav").Sum(f => new FileInfo(f).Length);

    /// <summary>Whole one-second segments on disk (32 KB of stereo PCM each, plus their framing).</summary>
    private static long Segments(string recordings, Recording row)
    {
        var path = Path.Combine(recordings, row.StoragePath);
        return File.Exists(path) ? new FileInfo(path).Length / 32000 : 0;
    }

    private async Task NotifyAsync(RecordingControl control)
    {
        await using var db = database.CreateOwnerContext();
        await db.Database.ExecuteSqlAsync($"SELECT pg_notify({RecordingControl.Channel}, {control.ToPayload()})", _cancel);
    }

    /// <summary>Starts the management API over the same database and folder, makes a compliance officer with a personal key, and downloads the WAV with it.</summary>
    private async Task<(byte[] Wav, string Officer)> DownloadAsOfficerAsync(Guid tenantId, Guid recordingId, string recordings)
    {
        const string officer = "officer@acme.example";
        string key;
        await using (var owner = database.CreateOwnerContext())
        {
            var user = new PortalUser
            {
                Id = Guid.CreateVersion7(), UserName = officer, NormalizedUserName = officer.ToUpperInvariant(), DisplayName = "Compliance officer",
                Role = PortalRole.ComplianceOfficer, TenantId = tenantId, CreatedAt = TestClock.Now, SecurityStamp = Guid.NewGuid().ToString("N"),
            };
            owner.Users.Add(user);
            var (apiKey, secret) = ApiKey.CreatePersonal(user.Id, tenantId, "evidence", TestClock.Now);
            owner.ApiKeys.Add(apiKey);
            await owner.SaveChangesAsync(_cancel);
            key = secret.Plaintext;
        }

        var (certificate, certificateKey) = TestServerCertificate.Files;
        var port = PartProcess.FreePort();
        await using var api = PartProcess.Start("Provisioning", new Dictionary<string, string?>
        {
            ["Database__ConnectionString"] = database.AppConnectionString,
            ["Kestrel__Endpoints__Api__Url"] = $"http://127.0.0.1:{port}",
            ["Kestrel__Endpoints__Provision__Url"] = $"https://127.0.0.1:{PartProcess.FreePort()}",
            ["Kestrel__Endpoints__Provision__Certificate__Path"] = certificate,
            ["Kestrel__Endpoints__Provision__Certificate__KeyPath"] = certificateKey,
            ["Provisioning__SwitchCaPath"] = certificate,
            ["Keys__MasterKey"] = s_masterKey,
            ["Recordings__Directory"] = recordings,
        });
        await api.WaitHealthyAsync(new Uri($"http://127.0.0.1:{port}/health"));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        var response = await http.GetAsync($"/api/v1/tenants/{tenantId}/recordings/{recordingId}/audio", _cancel);
        Assert.True(response.IsSuccessStatusCode, $"the download answered {(int)response.StatusCode}\n{api.Output}{api.Error}");
        return (await response.Content.ReadAsByteArrayAsync(_cancel), officer);
    }

    private async Task<(int ExitCode, string Output)> VerifyWithAdminAsync(Guid tenantId, string recordings)
    {
        var keyFile = Path.Combine(Path.GetTempPath(), $"hostedpbx-master-{Guid.NewGuid():N}.key");
        await File.WriteAllTextAsync(keyFile, s_masterKey, _cancel);
        try
        {
            await using var admin = PartProcess.Start("Admin", new Dictionary<string, string?>(),
                "verify-recordings", "--connection", database.OwnerConnectionString, "--master-key-file", keyFile, "--tenant", tenantId.ToString(), "--recordings", recordings);
            var exit = await admin.WaitForExitAsync();
            return (exit, admin.Output + admin.Error);
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    private static Dictionary<string, string?> Settings(string recordings) => new()
    {
        ["Keys__MasterKey"] = s_masterKey,
        ["Recordings__Directory"] = recordings,
    };

    private static byte[] ReadWav(string path, Recording recording)
    {
        using var protector = KeyProtector.FromBase64(s_masterKey);
        var key = protector.Unprotect(recording.WrappedDataKey, KeyPurpose.Recording(recording.Id));
        using var reader = SealedAudioReader.Open(path, key);
        using var wav = reader.OpenWav();
        using var copy = new MemoryStream();
        wav.CopyTo(copy);
        return copy.ToArray();
    }

    private async Task SetPolicyAsync(Guid tenantId, RecordingMode mode)
    {
        await using var db = database.CreateOwnerContext();
        var policy = new RecordingPolicy { TenantId = tenantId, Name = mode.ToString(), Mode = mode, Announce = false, CreatedAt = TestClock.Now };
        db.RecordingPolicies.Add(policy);
        await db.SaveChangesAsync(_cancel);
        var tenant = await db.Tenants.SingleAsync(t => t.Id == tenantId, _cancel);
        tenant.DefaultRecordingPolicyId = policy.Id;
        await db.SaveChangesAsync(_cancel);
    }

    private async Task WaitRegisteredAsync(SwitchUnderTest sut, BaresipPeer alice, BaresipPeer bob) =>
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            var rows = await db.Registrations.AsNoTracking().ToListAsync(_cancel);
            return rows.Count >= 2 ? rows : null;
        }, TimeSpan.FromSeconds(30), () => "both REGISTERs\n" + sut.Output + alice.Log + bob.Log);

    private async Task<string> MakeToneAsync(string directory)
    {
        var path = Path.Combine(directory, "tone_1k_8k.wav");
        using var sox = System.Diagnostics.Process.Start("sox", ["-n", "-r", "8000", "-c", "1", "-b", "16", path, "synth", "40", "sine", "1000", "vol", "0.5"]);
        await sox.WaitForExitAsync(_cancel);
        Assert.Equal(0, sox.ExitCode);
        return path;
    }
}
