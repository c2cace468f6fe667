using System.Security.Cryptography;
using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Media;
using HostedPbx.Data.Voicemail;

namespace HostedPbx.Testing;

/// <summary>Leaves a message as the switch does: a sealed 8 kHz mono file under the voicemail folder and its row.</summary>
public static class TestVoicemail
{
    /// <summary>A tone of <paramref name="hertz"/> for <paramref name="seconds"/>, 8 kHz mono 16-bit PCM.</summary>
    public static byte[] Tone(double hertz, double seconds, double amplitude = 0.5)
    {
        var samples = (int)(8000 * seconds);
        var pcm = new byte[samples * 2];
        for (var i = 0; i < samples; i++)
        {
            var value = (short)(amplitude * short.MaxValue * Math.Sin(2 * Math.PI * hertz * i / 8000));
            System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(pcm.AsSpan(i * 2), value);
        }

        return pcm;
    }

    public static async Task<VoicemailMessage> AddAsync(PbxDbContext owner, string voicemailDirectory, string masterKey, Guid tenantId,
        Guid extensionId, byte[] pcm, VoicemailStatus status = VoicemailStatus.New, string callerNumber = "202", DateTimeOffset? receivedAt = null)
    {
        var message = new VoicemailMessage
        {
            TenantId = tenantId, ExtensionId = extensionId, CallerNumber = callerNumber, CallerName = $"Caller {callerNumber}",
            ReceivedAt = receivedAt ?? TestClock.Now, StoragePath = "", WrappedDataKey = [], Status = status,
            DeletedAt = status == VoicemailStatus.Deleted ? TestClock.Now : null,
        };
        message.StoragePath = VoicemailFiles.MessagePath(tenantId, extensionId, message.Id);
        var key = SealedAudio.NewDataKey();
        using (var protector = KeyProtector.FromBase64(masterKey))
        {
            message.WrappedDataKey = protector.Protect(key, KeyPurpose.Voicemail(message.Id));
        }

        using (var writer = SealedAudioWriter.Create(new VoicemailFiles(voicemailDirectory).FullPath(message.StoragePath), key, AudioFormat.Mono8k))
        {
            writer.Write(pcm);
            var summary = writer.Complete();
            message.AudioSha256 = summary.Sha256Hex;
            message.DurationMs = (int)summary.Duration.TotalMilliseconds;
        }

        CryptographicOperations.ZeroMemory(key);
        owner.VoicemailMessages.Add(message);
        await owner.SaveChangesAsync();
        return message;
    }
}
