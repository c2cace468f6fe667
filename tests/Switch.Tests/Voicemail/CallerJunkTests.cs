using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Media;
using HostedPbx.Switch.Calls.Applications;
using HostedPbx.Switch.Calls.Voicemail;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Media.Srtp;
using HostedPbx.Switch.Tests.Calls.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.Tests.Voicemail;

/// <summary>
/// Issue 9 "Bad input": nothing a caller sends during a deposit crashes or stalls the switch. A second of speech, the
/// junk, a second of speech, then #: the message holds exactly the two seconds of speech, the junk is counted as
/// dropped, and a second call to the mailbox right after still leaves a message.
/// </summary>
[Collection(VoicemailDatabase.Name)]
public sealed class CallerJunkTests(PostgresFixture database)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Deposit_HugeAndTruncatedDatagrams_DroppedAndTheMessageKeepsTheSpeech()
    {
        var drops = await DepositAroundAsync(36050, async (phone, media, _, to) =>
        {
            // Two of 60 KB: more would overflow the socket's receive buffer (the kernel's, ~208 KB) and lose the speech
            // after them on the way, which is the network's doing, not the switch's.
            for (var i = 0; i < 5; i++)
            {
                if (i < 2)
                {
                    await phone.Media.SendToAsync(new byte[60_000], to, _ct);
                }

                await phone.Media.SendToAsync(new byte[] { 0x80, 0x00, 0x01, 0x02, 0x03 }, to, _ct);
            }

            return 0;
        });

        Assert.True(drops.Oversized >= 2, $"oversized drops: {drops.Oversized}");
        Assert.True(drops.Unauthenticated >= 5, $"unauthenticated drops: {drops.Unauthenticated}");
    }

    [Fact]
    public async Task Deposit_PayloadTypesNotNegotiated_NeverDecodedIntoTheMessage()
    {
        var drops = await DepositAroundAsync(36100, async (phone, media, outbound, to) =>
        {
            ushort sequence = 50;
            foreach (var payloadType in new byte[] { 18, 96 })
            {
                for (var i = 0; i < 10; i++)
                {
                    await phone.Media.SendToAsync(Protect(outbound, phone, payloadType, sequence++, 0x00), to, _ct);
                }
            }

            return 20;
        });

        Assert.Equal(20, drops.Unnegotiated);
    }

    [Fact]
    public async Task Deposit_SrtpFailingAuthentication_DroppedUnread()
    {
        var drops = await DepositAroundAsync(36150, async (phone, media, outbound, to) =>
        {
            for (ushort sequence = 50; sequence < 70; sequence++)
            {
                var packet = Protect(outbound, phone, 0, sequence, 0x00);
                packet[^1] ^= 0x01;
                await phone.Media.SendToAsync(packet, to, _ct);
            }

            return 20;
        });

        Assert.True(drops.Unauthenticated >= 20, $"unauthenticated drops: {drops.Unauthenticated}");
    }

    [Fact]
    public async Task Deposit_FloodOfDigitsBeforeHash_IgnoredAndTheMessageKeepsTheSpeech()
    {
        // 30 RFC 4733 digits (120 event packets, back to back, the most a loopback socket buffer takes alongside the
        // speech), none of them #: the mailbox neither ends the message nor records them as audio.
        await DepositAroundAsync(36200, async (phone, media, outbound, to) =>
        {
            ushort sequence = 50;
            for (var i = 0; i < 30; i++)
            {
                await MailboxScene.SendDigitAsync(phone, media, outbound, sequence, sequence * 160u, "0123456789*"[i % 11], _ct);
                sequence += 4;
            }

            return sequence - 50;
        });
    }

    private static byte[] Protect(SrtpContext outbound, TestPhone phone, byte payloadType, ushort sequence, byte fill)
    {
        var packet = new byte[12 + 160 + 64];
        packet[0] = 0x80;
        packet[1] = payloadType;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequence * 160u);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0x1234_0000u + (uint)phone.Port);
        packet.AsSpan(12, 160).Fill(fill);
        Assert.Equal(SrtpStatus.Ok, outbound.ProtectRtp(packet, 172, out var length));
        return packet[..length];
    }

    /// <summary>
    /// 201 calls 202's mailbox: 50 packets of speech, the junk (which says how many sequence numbers it used), 50 more
    /// of speech and #. Checks the message holds the speech only, then leaves a second message to show the switch
    /// still serves. Returns the mailbox legs' drop counts.
    /// </summary>
    private async Task<ApplicationDrops> DepositAroundAsync(int ports, Func<TestPhone, NegotiatedMedia, SrtpContext, IPEndPoint, Task<int>> junk)
    {
        await using var scene = await MailboxScene.StartAsync(database, ports, _ct);
        var alice = await scene.Harness.ConnectAsync(scene.Tenant.Id, "201", _ct);
        var call = await alice.InviteAsync("202", _ct);
        var media = await alice.CompleteAsync(call, _ct);
        await scene.PassGreetingAsync(_ct);
        var mailbox = scene.Mailbox;
        var to = new IPEndPoint(IPAddress.Parse(media.RemoteAddress), media.RemoteRtpPort);

        using var outbound = media.LocalCrypto.CreateContext();
        var sent = new List<short>();
        ushort sequence = 0;
        async Task SpeakAsync(int packets)
        {
            for (var i = 0; i < packets; i++, sequence++)
            {
                var fill = (byte)(0x20 + (sequence % 16));
                await alice.SendAudioAsync(media, outbound, sequence, fill, _ct);
                sent.AddRange(Enumerable.Repeat(G711.DecodeMuLaw(fill), 160));
            }
        }

        await SpeakAsync(50);
        sequence += (ushort)await junk(alice, media, outbound, to);
        await SpeakAsync(50);
        await MailboxScene.SendDigitAsync(alice, media, outbound, sequence, sequence * 160u, '#', _ct);
        Assert.Equal(call.CallId, (await alice.RequestAsync("BYE", _ct)).CallId);
        await mailbox.Completion.WaitAsync(_ct);

        await using (var db = database.CreateOwnerContext())
        {
            var message = await db.VoicemailMessages.AsNoTracking().SingleAsync(_ct);
            Assert.Equal(2000, message.DurationMs);
            var dataKey = scene.Keys.Unprotect(message.WrappedDataKey, KeyPurpose.Voicemail(message.Id));
            using var reader = SealedAudioReader.Open(Path.Combine(scene.Root, message.StoragePath), dataKey);
            using var pcm = reader.OpenPcm();
            var bytes = new byte[reader.PcmLength];
            pcm.ReadExactly(bytes);
            Assert.Equal(sent.ToArray(), MemoryMarshal.Cast<byte, short>(bytes).ToArray());
        }

        // The switch keeps serving: the next caller's message is taken as usual.
        var again = await alice.InviteAsync("202", _ct);
        var againMedia = await alice.CompleteAsync(again, _ct);
        await scene.PassGreetingAsync(_ct);
        var second = scene.Mailbox;
        using var againOutbound = againMedia.LocalCrypto.CreateContext();
        for (ushort i = 0; i < 50; i++)
        {
            await alice.SendAudioAsync(againMedia, againOutbound, i, (byte)(0x20 + (i % 16)), _ct);
        }

        await MailboxScene.SendDigitAsync(alice, againMedia, againOutbound, 50, 50 * 160, '#', _ct);
        Assert.Equal(again.CallId, (await alice.RequestAsync("BYE", _ct)).CallId);
        await second.Completion.WaitAsync(_ct);
        await using (var db = database.CreateOwnerContext())
        {
            Assert.Equal(2, await db.VoicemailMessages.CountAsync(m => m.Status == VoicemailStatus.New && m.DurationMs > 0, _ct));
        }

        return scene.Harness.Mailboxes!.Drops;
    }
}
