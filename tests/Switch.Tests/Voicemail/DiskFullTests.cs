using System.Runtime.InteropServices;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Media;
using HostedPbx.Switch.Calls.Applications;
using HostedPbx.Switch.Tests.Calls.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.Tests.Voicemail;

/// <summary>
/// Issue 9 "Bad input": a disk that fills up while recording ends the message cleanly at its last segment. The
/// mailbox's folder is a tmpfs of 40 KiB the test mounts (room for the header and two one-second segments).
/// </summary>
[Collection(VoicemailDatabase.Name)]
public sealed class DiskFullTests(PostgresFixture database)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Deposit_DiskFillsUp_MessageEndsAtItsLastWholeSecondAndTheSwitchHangsUp()
    {
        if (Environment.UserName != "root")
        {
            Assert.Skip("Mounting a small tmpfs needs root (CI runs as root).");
        }

        var log = new LineLogger();
        await using var scene = await MailboxScene.StartAsync(database, 36000, _ct, logger: log);
        await scene.MountSmallDiskAsync(scene.Callee, "40k", _ct);
        var alice = await scene.Harness.ConnectAsync(scene.Tenant.Id, "201", _ct);
        var call = await alice.InviteAsync("202", _ct);
        var media = await alice.CompleteAsync(call, _ct);
        await scene.PassGreetingAsync(_ct);
        var mailbox = scene.Mailbox;

        // Ten seconds of speech-like µ-law, far more than the disk holds.
        using var outbound = media.LocalCrypto.CreateContext();
        var sent = new List<short>();
        for (ushort i = 0; i < 500; i++)
        {
            var fill = (byte)(0x20 + (i % 16));
            await alice.SendAudioAsync(media, outbound, i, fill, _ct);
            sent.AddRange(Enumerable.Repeat(G711.DecodeMuLaw(fill), 160));
        }

        // No # is sent: the mailbox itself ends the message once it cannot store more, and hangs up.
        Assert.Equal(call.CallId, (await alice.RequestAsync("BYE", _ct)).CallId);
        await mailbox.Completion.WaitAsync(_ct);
        Assert.Empty(scene.Harness.Calls.ActiveCalls);

        await using var db = database.CreateOwnerContext();
        var message = await db.VoicemailMessages.AsNoTracking().SingleAsync(_ct);
        Assert.Equal(VoicemailStatus.New, message.Status);
        Assert.True(message.CutShort);
        Assert.Equal(2000, message.DurationMs);

        // The file opens, is sealed, and plays exactly the first two seconds the caller said.
        var path = Path.Combine(scene.Root, message.StoragePath);
        var dataKey = scene.Keys.Unprotect(message.WrappedDataKey, KeyPurpose.Voicemail(message.Id));
        using (var reader = SealedAudioReader.Open(path, dataKey))
        {
            Assert.True(reader.IsSealed);
            Assert.Equal(message.AudioSha256, reader.ComputeSha256Hex());
            using var pcm = reader.OpenPcm();
            var bytes = new byte[reader.PcmLength];
            pcm.ReadExactly(bytes);
            Assert.Equal(sent.Take(16000).ToArray(), MemoryMarshal.Cast<byte, short>(bytes).ToArray());
        }

        // The operator reads why, by the message's id; neither the key nor the audio is in the log.
        var lines = log.Lines;
        var failure = Assert.Single(lines, l => l.Contains(message.Id.ToString(), StringComparison.Ordinal) && l.Contains("writing stopped", StringComparison.Ordinal));
        Assert.Contains("No space left on device", failure, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains(Convert.ToHexString(dataKey), StringComparison.OrdinalIgnoreCase)
            || l.Contains(Convert.ToBase64String(dataKey), StringComparison.Ordinal)
            || l.Contains(Convert.ToBase64String(MemoryMarshal.AsBytes(sent.ToArray().AsSpan(0, 160))), StringComparison.Ordinal));

        // The switch keeps taking messages: 201 leaves one for 203, whose mailbox is on a disk with room.
        var carol = new Extension { TenantId = scene.Tenant.Id, Number = "203", DisplayName = "Carol Clark", CreatedAt = TestClock.Now };
        db.Extensions.Add(carol);
        await db.SaveChangesAsync(_ct);
        scene.Harness.AddExtension(scene.Tenant.Id, "203", carol.Id, voicemail: true, carol.DisplayName);
        var second = await alice.InviteAsync("203", _ct);
        var secondMedia = await alice.CompleteAsync(second, _ct);
        await scene.PassGreetingAsync(_ct);
        var other = scene.Mailbox;
        using var secondOutbound = secondMedia.LocalCrypto.CreateContext();
        for (ushort i = 0; i < 150; i++)
        {
            await alice.SendAudioAsync(secondMedia, secondOutbound, i, (byte)(0x20 + (i % 16)), _ct);
        }

        await MailboxScene.SendDigitAsync(alice, secondMedia, secondOutbound, 150, 150 * 160, '#', _ct);
        Assert.Equal(second.CallId, (await alice.RequestAsync("BYE", _ct)).CallId);
        await other.Completion.WaitAsync(_ct);
        var kept = await db.VoicemailMessages.AsNoTracking().SingleAsync(m => m.ExtensionId == carol.Id, _ct);
        Assert.Equal(3000, kept.DurationMs);
        Assert.False(kept.CutShort);
        Assert.Equal(VoicemailStatus.New, kept.Status);
    }

    [Fact]
    public async Task Deposit_DiskAlreadyFull_NoMessageIsLeftBehindAndTheSwitchHangsUp()
    {
        if (Environment.UserName != "root")
        {
            Assert.Skip("Mounting a small tmpfs needs root (CI runs as root).");
        }

        var log = new LineLogger();
        await using var scene = await MailboxScene.StartAsync(database, 36000, _ct, logger: log);
        var folder = await scene.MountSmallDiskAsync(scene.Callee, "40k", _ct);
        await using (var filler = File.Create(Path.Combine(folder, "filler")))
        {
            // Fill the disk to the last byte before the call: the message cannot even get its header.
            var block = new byte[4096];
            try
            {
                while (true)
                {
                    await filler.WriteAsync(block, _ct);
                    await filler.FlushAsync(_ct);
                }
            }
            catch (IOException)
            {
            }
        }

        var alice = await scene.Harness.ConnectAsync(scene.Tenant.Id, "201", _ct);
        var call = await alice.InviteAsync("202", _ct);
        await alice.CompleteAsync(call, _ct);

        // Taken before the greeting ends: once the message fails to start, the call may be over at once.
        var mailbox = scene.Mailbox;
        await scene.PassGreetingAsync(_ct);

        // The caller is not left talking into nothing: the switch hangs up, and no message row is left to list.
        Assert.Equal(call.CallId, (await alice.RequestAsync("BYE", _ct)).CallId);
        await mailbox.Completion.WaitAsync(_ct);
        await using var db = database.CreateOwnerContext();
        Assert.DoesNotContain(await db.VoicemailMessages.AsNoTracking().ToListAsync(_ct), m => m.Status != VoicemailStatus.Deleted);
        Assert.Contains(log.Lines, l => l.Contains("No space left on device", StringComparison.Ordinal));
    }
}
