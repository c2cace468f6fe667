using System.Runtime.InteropServices;
using System.Security.Cryptography;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Media;
using HostedPbx.Data.Voicemail;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests.Voicemail;

/// <summary>
/// Recording a greeting by phone with a real baresip handset (issue 9 item 4, menu option 5): 202 dials *97, gives its
/// PIN and 5 1 by RFC 4733, speaks after the tone, and keeps what it hears back; the stored greeting is sealed and
/// correlates with what 202 said.
/// </summary>
public sealed class GreetingByPhoneEndToEndTests(PostgresFixture database) : IAsyncLifetime
{
    private const string Pin = "2580";

    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task StarNinetySevenOption51_202SpeaksAndKeeps_StoredGreetingCorrelatesWithItsSpeech()
    {
        await using var sut = await SwitchUnderTest.StartAsync(database, _cancel);
        await using (var db = database.CreateOwnerContext())
        {
            await db.Extensions.Where(e => e.Number == "202").ExecuteUpdateAsync(
                s => s.SetProperty(e => e.VoicemailEnabled, true).SetProperty(e => e.VoicemailPinHash, VoicemailPin.Hash(Pin)), _cancel);
        }

        // 202 speaks 15 s into the call, well after the record prompt and tone, and then is silent. Without # the
        // recording runs to its limit (60 s, the upload limit), which the handset cannot overrun: it stops on its own.
        var template = await Audio.MakeSpeechAsync(sut.WorkDirectory, 0, 0.2, _cancel);
        var speech = await Audio.MakeSpeechAsync(sut.WorkDirectory, 15, 100, _cancel);
        await using var bob = BaresipPeer.Start(
            sut.WorkDirectory, "bob", "202", sut.SipPort, sut.DeviceCertificate("202").CombinedPem(), sut.Root.Certificate.ExportCertificatePem(), speech, 180);
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.Registrations.AsNoTracking().AnyAsync(_cancel) ? "registered" : null;
        }, TimeSpan.FromSeconds(20), () => "202's REGISTER\n" + sut.Output + bob.Log);

        await bob.CommandAsync("dial", $"sip:*97@127.0.0.1:{sut.SipPort}", _cancel);
        await WaitForAsync(() => bob.Log, sut, bob, "Call established", TimeSpan.FromSeconds(20));
        await bob.CommandAsync("sndcode", Pin + "#", _cancel);
        await bob.CommandAsync("sndcode", "51", _cancel);

        // Recorded and being played back: 1 keeps it.
        await WaitForAsync(() => sut.Output, sut, bob, "recorded a Unavailable greeting", TimeSpan.FromSeconds(120));
        await bob.CommandAsync("sndcode", "1", _cancel);
        var greeting = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.VoicemailGreetings.AsNoTracking().FirstOrDefaultAsync(_cancel);
        }, TimeSpan.FromSeconds(30), () => "the greeting kept\n" + sut.Output + bob.Log);
        await bob.CommandAsync("hangup", "", _cancel);

        Assert.Equal(GreetingKind.Unavailable, greeting.Kind);
        var stored = Open(sut, greeting);
        var correlation = SpeechSearch.Correlation(SpeechSearch.Voiced(Audio.ReadWav(template)), stored);
        Assert.True(correlation >= 0.9, $"the greeting correlates {correlation:0.000} with 202's speech\n{sut.Output}");
    }

    /// <summary>The greeting's audio, opened with its own data key as the switch opens it.</summary>
    private static float[] Open(SwitchUnderTest sut, VoicemailGreeting greeting)
    {
        using var keys = new KeyOptions { MasterKeyFile = sut.MasterKeyFile }.CreateProtector();
        var dataKey = keys.Unprotect(greeting.WrappedDataKey, KeyPurpose.VoicemailGreeting(greeting.Id));
        try
        {
            using var reader = SealedAudioReader.Open(Path.Combine(sut.VoicemailDirectory, greeting.StoragePath), dataKey);
            Assert.True(reader.IsSealed);
            using var stream = reader.OpenPcm();
            var bytes = new byte[reader.PcmLength];
            stream.ReadExactly(bytes);
            return [.. MemoryMarshal.Cast<byte, short>(bytes).ToArray().Select(s => (float)s)];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    private static async Task WaitForAsync(Func<string> log, SwitchUnderTest sut, BaresipPeer peer, string text, TimeSpan limit) =>
        await Eventually.GetAsync(
            () => Task.FromResult(log().Contains(text, StringComparison.Ordinal) ? (object?)true : null), limit, () => $"'{text}'\n{sut.Output}\n{peer.Log}");
}
