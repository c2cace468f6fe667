using System.Runtime.InteropServices;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests.Voicemail;

/// <summary>
/// The security statement of a voicemail call (issue 9 item 7) checked against what an eavesdropper would get: a
/// capture on loopback of 201 leaving a message for 202 shows SRTP and TLS only, the file on disk is not audio, and the
/// call's stored statement says what the issue says.
/// </summary>
public sealed class DepositOnTheWireTests(PostgresFixture database) : IAsyncLifetime
{
    private const int RtpHeaderLength = 12;
    private const int AuthenticationTagLength = 10;
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Deposit_CapturedOnLoopback_SrtpOnlyCiphertextAtRestAndTheStatementSaysSo()
    {
        await using var sut = await SwitchUnderTest.StartAsync(database, _cancel);
        await using (var db = database.CreateOwnerContext())
        {
            await db.Extensions.Where(e => e.Number == "202").ExecuteUpdateAsync(s => s.SetProperty(e => e.VoicemailEnabled, true), _cancel);
        }

        var speech = await Audio.MakeSpeechAsync(sut.WorkDirectory, 16, 1.5, _cancel);
        var (min, max) = sut.MediaPorts;
        await using var capture = await LoopbackCapture.StartAsync(sut.WorkDirectory, $"(udp portrange {min}-{max}) or (tcp port {sut.SipPort})", _cancel);
        await using var alice = BaresipPeer.Start(
            sut.WorkDirectory, "alice", "201", sut.SipPort, sut.DeviceCertificate("201").CombinedPem(), sut.Root.Certificate.ExportCertificatePem(), speech, 120);
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.Registrations.AsNoTracking().AnyAsync(_cancel) ? "registered" : null;
        }, TimeSpan.FromSeconds(20), () => "201's REGISTER\n" + sut.Output + alice.Log);
        await alice.CommandAsync("dial", $"sip:202@127.0.0.1:{sut.SipPort}", _cancel);

        var record = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().FirstOrDefaultAsync(c => c.EndedAt != null && c.SecurityStatement != null, _cancel);
        }, TimeSpan.FromSeconds(90), () => "the deposit's call record\n" + sut.Output + alice.Log);
        var message = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.VoicemailMessages.AsNoTracking().FirstOrDefaultAsync(m => m.AudioSha256 != null, _cancel);
        }, TimeSpan.FromSeconds(30), () => "a completed message\n" + sut.Output);
        var packets = await capture.StopAsync(_cancel);

        // The statement, as stored with the call, says what issue 9 item 7 says, and names who could still hear.
        Assert.Equal(CallType.Voicemail, record.Type);
        var statement = record.SecurityStatement!;
        Assert.Contains("encrypted from your handset to our switch", statement, StringComparison.Ordinal);
        Assert.Contains("stores it encrypted", statement, StringComparison.Ordinal);
        Assert.Contains("the platform operator, who can technically read stored messages", statement, StringComparison.Ordinal);
        Assert.Contains("e-mail copies leave our protection when sent", statement, StringComparison.Ordinal);

        bool InRange(int port) => port >= min && port <= max;
        var sent = Audio.ReadWav(speech);

        // Control: plain PCMU of the same speech, read the same way, is recognised.
        var plain = Audio.MaxNormalizedCorrelation(sent, Audio.DecodeMuLaw(await Audio.EncodeMuLawAsync(speech, _cancel)), 1600);
        Assert.True(plain > 0.9, $"plain PCMU of the speech correlates only {plain:0.000}: the check below could not tell");

        // Media: RTP (version 2, PCMU) both ways on the mailbox's port, and none of it decodes as the speech.
        var rtp = packets.Where(p => p.IsUdp && p.Payload.Length > RtpHeaderLength + AuthenticationTagLength
            && p.Payload[0] >> 6 == 2 && (p.Payload[1] & 0x7f) == 0 && (InRange(p.SourcePort) || InRange(p.DestinationPort))).ToList();
        var streams = rtp.GroupBy(p => InRange(p.DestinationPort) ? $"handset → switch port {p.DestinationPort}" : $"switch port {p.SourcePort} → handset").ToList();
        Assert.True(streams.Count == 2, $"expected RTP both ways on the mailbox's port, saw {string.Join(", ", streams.Select(s => $"{s.Key}: {s.Count()}"))}\n{capture.Log}");
        Assert.All(streams, stream => Assert.True(stream.Count() > 100, $"only {stream.Count()} packets {stream.Key}"));
        foreach (var stream in streams)
        {
            var samples = Audio.DecodeMuLaw(stream.SelectMany(p => p.Payload[RtpHeaderLength..^AuthenticationTagLength]));
            var correlation = Audio.MaxNormalizedCorrelation(sent, samples, 1600);
            Assert.True(correlation < 0.3, $"{stream.Key} decodes as speech (correlation {correlation:0.000}): not encrypted");
        }

        // Signalling: TLS only on the SIP port.
        var signalling = packets.Where(p => !p.IsUdp && (p.SourcePort == sut.SipPort || p.DestinationPort == sut.SipPort) && p.Payload.Length > 0).ToList();
        Assert.True(signalling.Count > 5, $"only {signalling.Count} TCP segments with data to or from the SIP port were captured");
        Assert.DoesNotContain(signalling, p => System.Text.Encoding.ASCII.GetString(p.Payload).Contains("SIP/2.0", StringComparison.Ordinal));

        // At rest: the message's file read as 16-bit audio does not hold the speech anywhere; the same search finds it
        // in the speech's own padded WAV (the control).
        var voiced = SpeechSearch.Voiced(sent);
        Assert.True(SpeechSearch.Correlation(voiced, sent) > 0.9, "the search does not find the speech where it is");
        var file = await File.ReadAllBytesAsync(Path.Combine(sut.VoicemailDirectory, message.StoragePath), _cancel);
        var raw = MemoryMarshal.Cast<byte, short>(file.AsSpan(0, file.Length & ~1)).ToArray().Select(s => (float)s).ToArray();
        var atRest = SpeechSearch.Correlation(voiced, raw);
        Assert.True(atRest < 0.2, $"the file on disk correlates {atRest:0.000} with the speech");
    }
}
