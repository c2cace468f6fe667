using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Media.Srtp;
using HostedPbx.Switch.Tests.Media.Srtp;

namespace HostedPbx.Switch.Tests.Media.Relay;

/// <summary>The relay engine over real UDP sockets on loopback, with real SRTP bytes (issue 13 item 1).</summary>
[Collection(nameof(RelayEngineTestGroup))]
public sealed class RelayEngineTests : IDisposable
{
    private readonly PortPool _ports = new(IPAddress.Loopback, 41000, 41999);
    private readonly RelayEngine _engine = new(2, TimeSpan.FromMilliseconds(1));

    [Fact]
    public async Task ManyCalls_TwoThreads_RelayBothDirectionsInOrderReKeyed()
    {
        const int Calls = 24;
        const int Packets = 40;
        var calls = new List<RelayCall>();
        for (var i = 0; i < Calls; i++)
        {
            // Spread on purpose: Assign would pack this few calls onto one thread.
            calls.Add(new RelayCall(_ports, _engine.Threads[i % 2], SrtpSuite.AesCm128HmacSha1Tag80, i % 2 == 0 ? SrtpSuite.AeadAes128Gcm : SrtpSuite.AesCm128HmacSha1Tag32));
        }

        for (var n = 0; n < Packets; n++)
        {
            foreach (var call in calls)
            {
                call.A.SendNext(n, call.ToSideA);
                call.B.SendNext(n, call.ToSideB);
            }
        }

        foreach (var call in calls)
        {
            AssertReceivesInOrder(call.B, call.Session.LegB!.OutboundSsrc, Packets);
            AssertReceivesInOrder(call.A, call.Session.LegA!.OutboundSsrc, Packets);
        }

        foreach (var call in calls)
        {
            await call.DisposeAsync();
            Assert.Equal(2 * Packets, call.Session.PacketsRelayed);
        }

        Assert.Equal(2, _engine.ThreadCount);
        Assert.Equal(0, _engine.Faults);
    }

    [Fact]
    public async Task BadPackets_DroppedAndCounted_GoodOnesStillRelayed()
    {
        var call = new RelayCall(_ports, _engine.Assign());
        using var stranger = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        stranger.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var forger = new SrtpContext(SrtpSuite.AesCm128HmacSha1Tag80, SrtpKeys.Generate(SrtpSuite.AesCm128HmacSha1Tag80));

        var first = call.A.NextPacket(0).ToArray();
        call.A.Send(first, call.ToSideA);
        call.A.Send(new byte[5], call.ToSideA);
        call.A.Send(new byte[3000], call.ToSideA);
        var forged = SrtpPackets.Rtp(500, call.A.Ssrc);
        forger.ProtectRtp(forged, SrtpPackets.RtpLength(), out var forgedLength);
        call.A.Send(forged.AsSpan(0, forgedLength), call.ToSideA);
        var unknownSsrc = call.A.NextPacket(99).ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(unknownSsrc.AsSpan(8), call.A.Ssrc ^ 0x5A5A5A5A);
        call.A.Send(unknownSsrc, call.ToSideA);
        call.A.Send(first, call.ToSideA);
        var second = call.A.NextPacket(1).ToArray();
        stranger.SendTo(second, SocketFlags.None, call.ToSideA);
        call.A.Send(second, call.ToSideA);
        call.A.SendNext(2, call.ToSideA);

        for (var marker = 0; marker <= 2; marker++)
        {
            Assert.Equal(SrtpStatus.Ok, call.B.Receive(out var plain));
            Assert.Equal(marker, RelayPhone.MarkerOf(plain));
        }

        Assert.Equal(0, call.B.Socket.Available);
        await call.DisposeAsync();
        Assert.Equal(
            new RelayLegCounters(Received: 9, Relayed: 3, AuthFailures: 2, Replays: 1, Malformed: 2, WrongSource: 1),
            call.Session.LegA!.Counters);
        Assert.Equal(3, call.Session.PacketsRelayed);
    }

    [Fact]
    public async Task Flood_OnOneCall_OtherCallRelayedInTheSameRound()
    {
        using var thread = new RelayThread(0, TimeSpan.Zero, start: false);
        var flooded = new RelayCall(_ports, thread);
        var quiet = new RelayCall(_ports, thread);
        thread.RunRound();
        using var forger = new SrtpContext(SrtpSuite.AesCm128HmacSha1Tag80, SrtpKeys.Generate(SrtpSuite.AesCm128HmacSha1Tag80));
        var forged = SrtpPackets.Rtp(1);
        forger.ProtectRtp(forged, SrtpPackets.RtpLength(), out var forgedLength);
        for (var i = 0; i < 4 * RelayBatch.Capacity; i++)
        {
            flooded.A.Send(forged.AsSpan(0, forgedLength), flooded.ToSideA);
        }

        quiet.A.SendNext(42, quiet.ToSideA);

        thread.RunRound();

        Assert.Equal(RelayBatch.Capacity, flooded.Session.LegA!.Counters.AuthFailures);
        Assert.Equal(1, quiet.Session.LegA!.Counters.Relayed);
        Assert.Equal(SrtpStatus.Ok, quiet.B.Receive(out var plain));
        Assert.Equal(42, RelayPhone.MarkerOf(plain));
        thread.RunRound();
        Assert.Equal(2 * RelayBatch.Capacity, flooded.Session.LegA.Counters.AuthFailures);
        await flooded.DisposeAsync();
        await quiet.DisposeAsync();
    }

    [Fact]
    public async Task Relaying_AfterWarmUp_TheRelayThreadAllocatesNothing()
    {
        const int Burst = 10;
        var thread = _engine.Assign();
        var call = new RelayCall(_ports, thread);
        var marker = 0;
        Relay(50);
        // The relay thread's own count, not the whole process's: other tests' background work (pools, timers, the test
        // runner's reporting) allocates in the same process meanwhile, and once counted 1,640 B against the relay.
        var relayThread = Allocations.LeastOfFiveWindows(() => Relay(60), () => thread.AllocatedBytes);
        var testThread = Allocations.LeastOfFiveWindows(() => Relay(60));

        Assert.Equal(0, relayThread);
        Assert.Equal(0, testThread);
        await call.DisposeAsync();

        void Relay(int bursts)
        {
            for (var b = 0; b < bursts; b++)
            {
                for (var i = 0; i < Burst; i++)
                {
                    call.A.SendNext(marker + i, call.ToSideA);
                    call.B.SendNext(marker + i, call.ToSideB);
                }

                for (var i = 0; i < Burst; i++)
                {
                    if (call.B.Receive(out var plain) != SrtpStatus.Ok || RelayPhone.MarkerOf(plain) != marker + i
                        || call.A.Receive(out plain) != SrtpStatus.Ok || RelayPhone.MarkerOf(plain) != marker + i)
                    {
                        Assert.Fail($"packet {marker + i} was not relayed in order");
                    }
                }

                marker += Burst;
            }
        }
    }

    public void Dispose() => _engine.Dispose();

    private static void AssertReceivesInOrder(RelayPhone phone, uint switchSsrc, int packets)
    {
        ushort? previous = null;
        for (var n = 0; n < packets; n++)
        {
            Assert.Equal(SrtpStatus.Ok, phone.Receive(out var plain));
            Assert.Equal(n, RelayPhone.MarkerOf(plain));
            Assert.Equal(switchSsrc, BinaryPrimitives.ReadUInt32BigEndian(plain[8..]));
            var sequence = BinaryPrimitives.ReadUInt16BigEndian(plain[2..]);
            Assert.True(previous is null || sequence == (ushort)(previous + 1));
            previous = sequence;
        }
    }
}
