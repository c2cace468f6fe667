using HostedPbx.Switch.Calls.Applications;
using HostedPbx.Switch.Tests.Calls.Support;

namespace HostedPbx.Switch.Tests.Calls.Applications;

/// <summary>The announcement application, heard the way a handset hears it: SRTP packets decrypted with the keys of the 200.</summary>
public sealed class AnnouncementTests
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Invite_UnknownNumberInAnnouncingTenant_PromptArrivesOverSrtpThenBye()
    {
        await using var harness = new CallHarness(mediaPortMin: 31800, mediaPortMax: 31849);
        await harness.Prompts.EnsureAsync(_ct);
        Assert.True(harness.Prompts.TryGet(PromptLibrary.NotInService, out var prompt));
        var tenant = harness.AddTenant(announceUnknownNumbers: true);
        var alice = await harness.ConnectAsync(tenant, "201", _ct);

        var call = await alice.InviteAsync("999", _ct);
        var media = await alice.CompleteAsync(call, _ct);

        // Real speech, not silence: espeak-ng's words resampled to 8 kHz by sox, longer than a second.
        Assert.True(prompt.Samples.Length > Prompt.SampleRate);
        Assert.True(prompt.Samples.Max(s => Math.Abs((int)s)) > 4000);
        using var inbound = media.RemoteCrypto.CreateContext();
        var packets = (prompt.Samples.Length + 159) / 160;
        for (var i = 0; i < packets; i++)
        {
            harness.Time.Advance(TimeSpan.FromMilliseconds(20));
            var (payload, _, _) = await alice.ReceiveAudioAsync(inbound, _ct);
            var expected = prompt.Samples.Skip(i * 160).Take(160).Select(G711.EncodeMuLaw).ToArray();
            Assert.Equal(expected, payload);
        }

        Assert.False(alice.HasReceived<HostedPbx.Switch.Sip.Messages.SipRequest>(r => r.MethodName == "BYE"));
        harness.Time.Advance(TimeSpan.FromMilliseconds(20));

        var bye = await alice.RequestAsync("BYE", _ct);
        Assert.Equal(call.CallId, bye.CallId);
        Assert.Empty(harness.Calls.ActiveCalls);
    }

    [Fact]
    public async Task Invite_UnknownNumberInTenantWithoutAnnouncements_Gets404()
    {
        await using var harness = new CallHarness(mediaPortMin: 31850, mediaPortMax: 31869);
        await harness.Prompts.EnsureAsync(_ct);
        var alice = await harness.ConnectAsync(harness.AddTenant(), "201", _ct);

        var call = await alice.InviteAsync("999", _ct);

        await alice.ResponseAsync(call.CallId, "INVITE", 404, _ct);
        Assert.Empty(harness.Calls.ActiveCalls);
    }

    [Fact]
    public async Task EnsureAsync_DeploymentRecordedPrompt_IsUsedAsItIs()
    {
        var directory = Directory.CreateTempSubdirectory("hostedpbx-prompts-").FullName;
        try
        {
            var recorded = Enumerable.Range(0, 800).Select(i => (short)(Math.Sin(i * 2 * Math.PI * 440 / 8000) * 8000)).ToArray();
            await File.WriteAllBytesAsync(Path.Combine(directory, PromptLibrary.NotInService + ".wav"), Wav(recorded), _ct);
            var library = new PromptLibrary(directory, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

            await library.EnsureAsync(_ct);

            Assert.True(library.TryGet(PromptLibrary.NotInService, out var prompt));
            Assert.Equal(recorded, prompt.Samples);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Prompt_NotEightKilohertzMono_IsRefused()
    {
        var header = new byte[44];
        "RIFF"u8.CopyTo(header);
        "WAVEfmt "u8.CopyTo(header.AsSpan(8));
        header[16] = 16;
        header[20] = 1;
        header[22] = 2;
        BitConverter.TryWriteBytes(header.AsSpan(24), 44100);
        header[34] = 16;
        "data"u8.CopyTo(header.AsSpan(36));

        Assert.False(Prompt.TryRead("x", header, out _, out var problem));
        Assert.Equal("not 8 kHz 16-bit mono PCM", problem);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    [InlineData(-1000)]
    [InlineData(32000)]
    [InlineData(-32000)]
    public void MuLaw_RoundTrip_StaysWithinTheSegmentStep(short sample)
    {
        var decoded = G711.DecodeMuLaw(G711.EncodeMuLaw(sample));

        // G.711 µ-law: a relative error of at most one step of its segment (1/16 of the magnitude), and the sign kept.
        Assert.InRange(Math.Abs(decoded - sample), 0, (Math.Abs((int)sample) / 16) + 16);
        Assert.True(sample == 0 || Math.Sign(sample) == Math.Sign(decoded));
    }

    [Fact]
    public void MuLaw_Silence_IsTheG711IdleCode() => Assert.Equal(0xFF, G711.EncodeMuLaw(0));

    private static byte[] Wav(short[] samples)
    {
        var file = new byte[44 + (samples.Length * 2)];
        "RIFF"u8.CopyTo(file);
        BitConverter.TryWriteBytes(file.AsSpan(4), file.Length - 8);
        "WAVEfmt "u8.CopyTo(file.AsSpan(8));
        BitConverter.TryWriteBytes(file.AsSpan(16), 16);
        BitConverter.TryWriteBytes(file.AsSpan(20), (short)1);
        BitConverter.TryWriteBytes(file.AsSpan(22), (short)1);
        BitConverter.TryWriteBytes(file.AsSpan(24), 8000);
        BitConverter.TryWriteBytes(file.AsSpan(28), 16000);
        BitConverter.TryWriteBytes(file.AsSpan(32), (short)2);
        BitConverter.TryWriteBytes(file.AsSpan(34), (short)16);
        "data"u8.CopyTo(file.AsSpan(36));
        BitConverter.TryWriteBytes(file.AsSpan(40), samples.Length * 2);
        for (var i = 0; i < samples.Length; i++)
        {
            BitConverter.TryWriteBytes(file.AsSpan(44 + (i * 2)), samples[i]);
        }

        return file;
    }
}
