using System.Security.Cryptography;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Media;
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
        var wav = ReadWav(path, recording);
        var audio = RecordedCall.FromWav(wav);
        var sent = Audio.ReadWav(speech);
        var left = Audio.MaxNormalizedCorrelation(sent, audio.Left, 16000);
        var disk = await File.ReadAllBytesAsync(path, _cancel);

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
