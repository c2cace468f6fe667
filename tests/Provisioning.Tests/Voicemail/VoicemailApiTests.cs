using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Media;
using HostedPbx.Data.Voicemail;
using HostedPbx.Provisioning.Tests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Tests.Voicemail;

/// <summary>The mailbox through /api/v1: list, audio (range requests, verification), delete, settings and greetings.</summary>
public sealed class VoicemailApiTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly ProvisioningFactory _factory = new(database);
    private TestTenants.Arranged _a = null!;
    private HttpClient _client = null!;
    private string _base = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        await using var owner = database.CreateOwnerContext();
        _a = await TestTenants.AddAsync(owner, "Alpha", "0015651a0001");
        _client = _factory.ClientWithKey(await _factory.AddKeyAsync(_a.Reseller.Id));
        _base = $"/api/v1/tenants/{_a.Tenant.Id}/extensions/{_a.Extension.Id}";
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task ListVoicemail_CountsNewAndSaved_AndLeavesOutDeletedAndUnfinished()
    {
        var newest = await AddAsync(TestVoicemail.Tone(440, 1), receivedAt: TestClock.Now.AddMinutes(2));
        await AddAsync(TestVoicemail.Tone(440, 1), VoicemailStatus.Saved);
        var deleted = await AddAsync(TestVoicemail.Tone(440, 1), VoicemailStatus.Deleted);
        var unfinished = await AddAsync(TestVoicemail.Tone(440, 1));
        await using (var owner = database.CreateOwnerContext())
        {
            await owner.VoicemailMessages.Where(m => m.Id == unfinished.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.AudioSha256, (string?)null), Ct);
        }

        using var body = JsonDocument.Parse(await _client.GetStringAsync($"{_base}/voicemail", Ct));

        Assert.Equal(1, body.RootElement.GetProperty("new").GetInt32());
        Assert.Equal(1, body.RootElement.GetProperty("saved").GetInt32());
        var ids = body.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(2, ids.Count);
        Assert.Equal(newest.Id, ids[0]);
        Assert.DoesNotContain(deleted.Id, ids);
        Assert.Equal(1.0, body.RootElement.GetProperty("messages")[0].GetProperty("durationSeconds").GetDouble(), 2);
    }

    [Fact]
    public async Task GetVoicemailAudio_WholeAndRange_ServesTheDecryptedWav_AuditsEachAndMarksHeard()
    {
        var pcm = TestVoicemail.Tone(440, 2.5);
        var message = await AddAsync(pcm);

        var whole = await _client.GetAsync($"{_base}/voicemail/{message.Id}/audio", Ct);
        using var range = new HttpRequestMessage(HttpMethod.Get, $"{_base}/voicemail/{message.Id}/audio");
        range.Headers.Range = new RangeHeaderValue(44 + 16000, 44 + 16000 + 999);
        var part = await _client.SendAsync(range, Ct);

        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("audio/wav", whole.Content.Headers.ContentType?.MediaType);
        var wav = await whole.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal("RIFF"u8.ToArray(), wav[..4]);
        Assert.Equal(8000, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(24)));
        Assert.Equal(pcm, wav[44..]);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(pcm[16000..17000], await part.Content.ReadAsByteArrayAsync(Ct));
        await using var owner = database.CreateOwnerContext();
        Assert.Equal(2, await owner.AuditEvents.CountAsync(e => e.Action == "voicemail.download" && e.TargetId == message.Id.ToString()
            && e.Outcome == AuditOutcome.Success, Ct));
        var stored = await owner.VoicemailMessages.SingleAsync(m => m.Id == message.Id, Ct);
        Assert.Equal(VoicemailStatus.Saved, stored.Status);
        Assert.NotNull(stored.HeardAt);
    }

    [Fact]
    public async Task GetVoicemailAudio_AlteredSegment_IsRefusedAsFailedVerification_NeverServed()
    {
        var message = await AddAsync(TestVoicemail.Tone(440, 3));
        var path = new VoicemailFiles(_factory.VoicemailDirectory).FullPath(message.StoragePath);
        var bytes = await File.ReadAllBytesAsync(path, Ct);
        bytes[bytes.Length / 2] ^= 0x01; // inside the middle segment, which opening alone does not authenticate
        await File.WriteAllBytesAsync(path, bytes, Ct);

        var response = await _client.GetAsync($"{_base}/voicemail/{message.Id}/audio", Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("failed verification", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        await using var owner = database.CreateOwnerContext();
        Assert.True(await owner.AuditEvents.AnyAsync(e => e.Action == "voicemail.download" && e.Outcome == AuditOutcome.Failed, Ct));
        Assert.Equal(VoicemailStatus.New, (await owner.VoicemailMessages.SingleAsync(m => m.Id == message.Id, Ct)).Status);
    }

    [Fact]
    public async Task DeleteVoicemail_MarksItDeleted_RemovesTheFile_AndIsGoneFromTheList()
    {
        var message = await AddAsync(TestVoicemail.Tone(440, 1));
        var path = new VoicemailFiles(_factory.VoicemailDirectory).FullPath(message.StoragePath);

        var response = await _client.DeleteAsync($"{_base}/voicemail/{message.Id}", Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(File.Exists(path));
        await using var owner = database.CreateOwnerContext();
        var stored = await owner.VoicemailMessages.SingleAsync(m => m.Id == message.Id, Ct);
        Assert.Equal(VoicemailStatus.Deleted, stored.Status);
        Assert.True(await owner.AuditEvents.AnyAsync(e => e.Action == "voicemail.delete" && e.TargetId == message.Id.ToString(), Ct));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"{_base}/voicemail/{message.Id}/audio", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("1111")]
    [InlineData("12")]
    [InlineData("1234")]
    public async Task UpdateVoicemailSettings_WeakPin_IsRefusedNamingPin_AndChangesNothing(string pin)
    {
        var response = await _client.PutAsJsonAsync($"{_base}/voicemail-settings", new { enabled = true, pin, noAnswerSeconds = 30, email = "a@example.test" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("Pin", out _));
        await using var owner = database.CreateOwnerContext();
        var extension = await owner.Extensions.SingleAsync(e => e.Id == _a.Extension.Id, Ct);
        Assert.Null(extension.VoicemailPinHash);
        Assert.Null(extension.VoicemailEmail);
        Assert.Equal(20, extension.ForwardNoAnswerSeconds);
        Assert.True(await owner.AuditEvents.AnyAsync(e => e.Action == "voicemail.settings.update" && e.Outcome == AuditOutcome.Denied, Ct));
    }

    [Fact]
    public async Task UpdateVoicemailSettings_Valid_SetsPinHashNoAnswerAndEmail()
    {
        var response = await _client.PutAsJsonAsync($"{_base}/voicemail-settings", new { enabled = true, pin = "2580", noAnswerSeconds = 30, email = "ann@example.test" }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await _client.GetStringAsync($"{_base}/voicemail-settings", Ct));
        Assert.True(body.RootElement.GetProperty("pinSet").GetBoolean());
        Assert.Equal(30, body.RootElement.GetProperty("noAnswerSeconds").GetInt32());
        Assert.DoesNotContain("2580", body.RootElement.GetRawText(), StringComparison.Ordinal);
        await using var owner = database.CreateOwnerContext();
        var extension = await owner.Extensions.SingleAsync(e => e.Id == _a.Extension.Id, Ct);
        Assert.True(VoicemailPin.Verify("2580", extension.VoicemailPinHash));
        Assert.Equal("ann@example.test", extension.VoicemailEmail);
    }

    [Fact]
    public async Task UpdateVoicemailSettings_BadNoAnswerAndEmail_NameBothFields()
    {
        var response = await _client.PutAsJsonAsync($"{_base}/voicemail-settings", new { enabled = true, noAnswerSeconds = 2, email = "not an address" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("NoAnswerSeconds", out _));
        Assert.True(errors.TryGetProperty("Email", out _));
    }

    [Fact]
    public async Task UploadGreeting_StereoWavAt44k_IsConvertedTo8kMono_SealedAndPlayable()
    {
        var wav = Wave(44_100, 2, 16, seconds: 1.5, hertz: 440);

        var response = await _client.PutAsync($"{_base}/voicemail-settings/greetings/Unavailable", Body(wav), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var owner = database.CreateOwnerContext();
        var greeting = await owner.VoicemailGreetings.SingleAsync(g => g.ExtensionId == _a.Extension.Id, Ct);
        Assert.Equal(GreetingKind.Unavailable, greeting.Kind);
        Assert.Equal(1500, greeting.DurationMs);
        using var protector = KeyProtector.FromBase64(ProvisioningFactory.MasterKey);
        var audio = new VoicemailAudio(new VoicemailFiles(_factory.VoicemailDirectory), protector);
        using var reader = audio.OpenGreeting(greeting);
        Assert.Equal(AudioFormat.Mono8k, reader.Format);
        using var pcm = reader.OpenPcm();
        var samples = new byte[reader.PcmLength];
        pcm.ReadExactly(samples);
        // The tone survives the conversion at its own pitch: far more energy at 440 Hz than at 1 kHz.
        Assert.True(Power(samples, 440) > 100 * Power(samples, 1000));
        var raw = await File.ReadAllBytesAsync(new VoicemailFiles(_factory.VoicemailDirectory).FullPath(greeting.StoragePath), Ct);
        Assert.DoesNotContain("RIFF", System.Text.Encoding.ASCII.GetString(raw), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadGreeting_Again_ReplacesTheOldOneAndItsFile()
    {
        await _client.PutAsync($"{_base}/voicemail-settings/greetings/Busy", Body(Wave(8000, 1, 16, 1, 440)), Ct);
        await using var owner = database.CreateOwnerContext();
        var first = await owner.VoicemailGreetings.AsNoTracking().SingleAsync(g => g.ExtensionId == _a.Extension.Id, Ct);

        var response = await _client.PutAsync($"{_base}/voicemail-settings/greetings/Busy", Body(Wave(16_000, 1, 24, 2, 440)), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var second = await owner.VoicemailGreetings.AsNoTracking().SingleAsync(g => g.ExtensionId == _a.Extension.Id, Ct);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(2000, second.DurationMs);
        Assert.False(File.Exists(new VoicemailFiles(_factory.VoicemailDirectory).FullPath(first.StoragePath)));
    }

    [Theory]
    [InlineData("not-audio")]
    [InlineData("too-long")]
    [InlineData("too-large")]
    public async Task UploadGreeting_NotAudioTooLongOrTooLarge_IsRefusedNamingGreeting_AndWritesNothing(string kind)
    {
        var body = kind switch
        {
            "not-audio" => "%PDF-1.7 this is not a sound"u8.ToArray(),
            "too-long" => Wave(8000, 1, 16, seconds: 61, hertz: 440),
            _ => new byte[(int)GreetingUpload.MaxBytes + 1],
        };

        var response = await _client.PutAsync($"{_base}/voicemail-settings/greetings/Unavailable", Body(body), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("\"Greeting\"", text, StringComparison.Ordinal);
        Assert.Contains(kind switch { "not-audio" => "not a WAV", "too-long" => "too long", _ => "too large" }, text, StringComparison.Ordinal);
        await using var owner = database.CreateOwnerContext();
        Assert.False(await owner.VoicemailGreetings.AnyAsync(Ct));
        Assert.Empty(Directory.EnumerateFiles(_factory.VoicemailDirectory, "*", SearchOption.AllDirectories));
    }

    private async Task<VoicemailMessage> AddAsync(byte[] pcm, VoicemailStatus status = VoicemailStatus.New, DateTimeOffset? receivedAt = null)
    {
        await using var owner = database.CreateOwnerContext();
        return await TestVoicemail.AddAsync(owner, _factory.VoicemailDirectory, ProvisioningFactory.MasterKey, _a.Tenant.Id, _a.Extension.Id, pcm, status,
            receivedAt: receivedAt);
    }

    private static ByteArrayContent Body(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        return content;
    }

    /// <summary>A PCM WAV file of a tone, as a recorder would write it.</summary>
    private static byte[] Wave(int rate, int channels, int bits, double seconds, double hertz)
    {
        var frames = (int)(rate * seconds);
        var bytesPerSample = bits / 8;
        var data = new byte[frames * channels * bytesPerSample];
        for (var f = 0; f < frames; f++)
        {
            var value = (int)(0.5 * Math.Sin(2 * Math.PI * hertz * f / rate) * ((1 << (bits - 1)) - 1));
            for (var c = 0; c < channels; c++)
            {
                var at = (f * channels + c) * bytesPerSample;
                for (var b = 0; b < bytesPerSample; b++)
                {
                    data[at + b] = (byte)(value >> (8 * b));
                }
            }
        }

        var wav = new byte[44 + data.Length];
        "RIFF"u8.CopyTo(wav);
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(4), 36 + data.Length);
        "WAVEfmt "u8.CopyTo(wav.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(20), 1);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(22), (short)channels);
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(24), rate);
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(28), rate * channels * bytesPerSample);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(32), (short)(channels * bytesPerSample));
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(34), (short)bits);
        "data"u8.CopyTo(wav.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(40), data.Length);
        data.CopyTo(wav.AsSpan(44));
        return wav;
    }

    /// <summary>Goertzel power of one frequency in 8 kHz 16-bit PCM.</summary>
    private static double Power(byte[] pcm, double hertz)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * hertz / 8000);
        double s1 = 0, s2 = 0;
        for (var i = 0; i < pcm.Length / 2; i++)
        {
            var s0 = BinaryPrimitives.ReadInt16LittleEndian(pcm.AsSpan(i * 2)) + coefficient * s1 - s2;
            s2 = s1;
            s1 = s0;
        }

        return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
    }
}
