using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Media;
using HostedPbx.Testing;

namespace HostedPbx.Switch.Tests.Voicemail;

/// <summary>Messages put straight into a scene's mailbox as a finished deposit leaves them: a sealed file under its own key, and its row.</summary>
internal static class StoredMessages
{
    /// <summary>A message of <paramref name="samples"/> from 201 to 202, received <paramref name="age"/> ago.</summary>
    public static async Task<VoicemailMessage> AddAsync(MailboxScene scene, short[] samples, TimeSpan age, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        var relative = Data.Voicemail.VoicemailFiles.MessagePath(scene.Tenant.Id, scene.Callee.Id, id);
        var path = Path.Combine(scene.Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = SealedAudio.NewDataKey();
        SealedAudioSummary summary;
        using (var writer = SealedAudioWriter.Create(path, key, AudioFormat.Mono8k))
        {
            writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(samples.AsSpan()));
            summary = writer.Complete();
        }

        var message = new VoicemailMessage
        {
            Id = id, TenantId = scene.Tenant.Id, ExtensionId = scene.Callee.Id, CallerNumber = "201", ReceivedAt = TestClock.Now - age,
            StoragePath = relative, WrappedDataKey = scene.Keys.Protect(key, KeyPurpose.Voicemail(id)), AudioSha256 = summary.Sha256Hex,
            DurationMs = (int)summary.Duration.TotalMilliseconds,
        };
        await using var owner = scene.Database.CreateOwnerContext();
        owner.VoicemailMessages.Add(message);
        await owner.SaveChangesAsync(cancellationToken);
        return message;
    }

    /// <summary>One second of a pattern no prompt holds: a different level every 20 ms.</summary>
    public static short[] Speech(int seed) => [.. Enumerable.Range(0, 8000).Select(i => (short)((((i / 160) + seed) % 16 - 8) * 1500))];
}
