using System.Runtime.InteropServices;
using System.Security.Cryptography;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Media;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests.Voicemail;

/// <summary>
/// Leaving a voicemail with a real baresip handset (issue 9 "Done when"): 201 calls 202, which is not registered; the
/// mailbox answers over SRTP, and what 201 said is in a sealed file that only the master key's data key opens. Killing
/// the switch mid-message loses no more than the second being filled.
/// </summary>
public sealed class DepositEndToEndTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Invite_202NotRegistered_201sSpeechIsStoredEncryptedAndCorrelates()
    {
        await using var sut = await SwitchUnderTest.StartAsync(database, _cancel);
        await TurnOnVoicemailAsync();

        // The speech starts once the greeting (about ten seconds) and the tone are over; baresip hangs up at its end.
        var speech = await Audio.MakeSpeechAsync(sut.WorkDirectory, 16, 1.5, _cancel);
        await using var alice = await RegisteredAliceAsync(sut, speech);
        await alice.CommandAsync("dial", $"sip:202@127.0.0.1:{sut.SipPort}", _cancel);

        var message = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.VoicemailMessages.AsNoTracking().FirstOrDefaultAsync(m => m.AudioSha256 != null, _cancel);
        }, TimeSpan.FromSeconds(90), () => "a completed message\n" + sut.Output + alice.Log);

        Assert.Equal("201", message.CallerNumber);
        Assert.Equal("Ext 201", message.CallerName);
        Assert.False(message.CutShort);
        await using (var db = database.CreateOwnerContext())
        {
            var record = await db.CallRecords.AsNoTracking().Include(c => c.Legs).SingleAsync(c => c.Id == message.CallRecordId, _cancel);
            Assert.Equal(CallType.Voicemail, record.Type);
        }

        var (pcm, file) = Open(sut, message);
        var correlation = Audio.MaxNormalizedCorrelation(Voiced(Audio.ReadWav(speech)), Voiced(pcm), 1600);
        Assert.True(correlation >= 0.9, $"speech correlation {correlation:0.000}\n{sut.Output}");

        // At rest the message is ciphertext: read as 16-bit audio it does not resemble the speech at all.
        var raw = MemoryMarshal.Cast<byte, short>(file.AsSpan(0, file.Length & ~1)).ToArray().Select(s => (float)s).ToArray();
        var atRest = Audio.MaxNormalizedCorrelation(Voiced(Audio.ReadWav(speech)), raw, 1600);
        Assert.True(atRest < 0.2, $"the file on disk correlates {atRest:0.000} with the speech");
    }

    [Fact]
    public async Task SwitchKilledMidMessage_AfterRestartTheMessageKeepsItsWholeSeconds()
    {
        await using var sut = await SwitchUnderTest.StartAsync(database, _cancel);
        await TurnOnVoicemailAsync();
        var speech = await Audio.MakeSpeechAsync(sut.WorkDirectory, 12, 60, _cancel);
        await using var alice = await RegisteredAliceAsync(sut, speech);
        await alice.CommandAsync("dial", $"sip:202@127.0.0.1:{sut.SipPort}", _cancel);

        // Recording has gone on for a few seconds (the file holds several sealed segments) when the switch dies.
        var open = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            var row = await db.VoicemailMessages.AsNoTracking().FirstOrDefaultAsync(m => m.AudioSha256 == null, _cancel);
            var path = row is null ? null : Path.Combine(sut.VoicemailDirectory, row.StoragePath);
            return path is not null && File.Exists(path) && new FileInfo(path).Length > 4 * AudioFormat.Mono8k.BytesPerSecond ? row : null;
        }, TimeSpan.FromSeconds(90), () => "a message being recorded\n" + sut.Output + alice.Log);
        await sut.KillAsync();
        var leftBehind = new FileInfo(Path.Combine(sut.VoicemailDirectory, open.StoragePath)).Length;

        await sut.RestartAsync();

        await using var db = database.CreateOwnerContext();
        var message = await db.VoicemailMessages.AsNoTracking().SingleAsync(m => m.Id == open.Id, _cancel);
        Assert.True(message.CutShort);
        Assert.NotNull(message.AudioSha256);
        Assert.True(message.DurationMs >= 4000, $"{message.DurationMs} ms kept of a file of {leftBehind} bytes");
        Assert.Equal(0, message.DurationMs % 1000);
        var (pcm, _) = Open(sut, message);
        Assert.Equal(message.DurationMs * 8, pcm.Length);
    }

    private async Task TurnOnVoicemailAsync()
    {
        // The switch hears of the change through the directory's NOTIFY, as it would from the API.
        await using var db = database.CreateOwnerContext();
        await db.Extensions.Where(e => e.Number == "202").ExecuteUpdateAsync(s => s.SetProperty(e => e.VoicemailEnabled, true), _cancel);
    }

    private async Task<BaresipPeer> RegisteredAliceAsync(SwitchUnderTest sut, string speech)
    {
        var alice = BaresipPeer.Start(
            sut.WorkDirectory, "alice", "201", sut.SipPort, sut.DeviceCertificate("201").CombinedPem(), sut.Root.Certificate.ExportCertificatePem(), speech, 120);
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.Registrations.AsNoTracking().AnyAsync(_cancel) ? "registered" : null;
        }, TimeSpan.FromSeconds(20), () => "201's REGISTER\n" + sut.Output + alice.Log);
        return alice;
    }

    /// <summary>The message's audio, authenticated segment by segment with its own data key, and the file's bytes as stored.</summary>
    private static (float[] Pcm, byte[] File) Open(SwitchUnderTest sut, VoicemailMessage message)
    {
        using var keys = new KeyOptions { MasterKeyFile = sut.MasterKeyFile }.CreateProtector();
        var dataKey = keys.Unprotect(message.WrappedDataKey, KeyPurpose.Voicemail(message.Id));
        try
        {
            var path = Path.Combine(sut.VoicemailDirectory, message.StoragePath);
            using var reader = SealedAudioReader.Open(path, dataKey);
            Assert.True(reader.IsSealed);
            Assert.Equal(message.AudioSha256, reader.ComputeSha256Hex());
            using var stream = reader.OpenPcm();
            var bytes = new byte[reader.PcmLength];
            stream.ReadExactly(bytes);
            return ([.. MemoryMarshal.Cast<byte, short>(bytes).ToArray().Select(s => (float)s)], File.ReadAllBytes(path));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>From the first sample above line noise: the speech without the silence before it.</summary>
    private static float[] Voiced(float[] samples)
    {
        var first = Array.FindIndex(samples, s => Math.Abs(s) > 1000);
        return first < 0 ? [] : samples[first..];
    }
}
