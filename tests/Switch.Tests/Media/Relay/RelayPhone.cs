using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Tests.Media.Relay;

/// <summary>
/// A handset's media for the engine tests: a real UDP socket on loopback, SRTP with its own key toward the switch and
/// the key the switch's leg sends to it with. Sends and receives without allocating (spans and a kept SocketAddress).
/// </summary>
internal sealed class RelayPhone : IDisposable
{
    public const int PayloadLength = 160;
    private readonly byte[] _send = new byte[256];
    private readonly byte[] _receive = new byte[2048];
    private readonly SocketAddress _from = new(AddressFamily.InterNetwork);
    private ushort _sequence = 100;

    public RelayPhone(SrtpSuite suite)
    {
        Suite = suite;
        PhoneKey = SrtpKeys.Generate(suite);
        LegKey = SrtpKeys.Generate(suite);
        Socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        // Guards a broken engine from hanging the run; no assertion depends on it.
        Socket.ReceiveTimeout = 10_000;
        Address = Socket.LocalEndPoint!.Serialize();
        Sends = new SrtpContext(suite, PhoneKey);
        Receives = new SrtpContext(suite, LegKey);
    }

    public SrtpSuite Suite { get; }

    public Socket Socket { get; } = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    public SocketAddress Address { get; }

    public uint Ssrc { get; set; } = (uint)Random.Shared.NextInt64(1, uint.MaxValue);

    /// <summary>The key this phone sends with (the switch's leg unprotects with it).</summary>
    public SrtpKeys PhoneKey { get; }

    /// <summary>The key the switch's leg sends to this phone with.</summary>
    public SrtpKeys LegKey { get; }

    public SrtpContext Sends { get; }

    public SrtpContext Receives { get; }

    public RelayLeg Leg() => new(new SrtpContext(Suite, PhoneKey), new SrtpContext(Suite, LegKey), rtcpMux: true, Address, null);

    /// <summary>Protects the next 20 ms frame, whose payload starts with <paramref name="marker"/>, into a kept buffer.</summary>
    public ReadOnlySpan<byte> NextPacket(int marker)
    {
        var packet = _send.AsSpan();
        packet[0] = 0x80;
        packet[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], _sequence++);
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], (uint)marker * 160);
        BinaryPrimitives.WriteUInt32BigEndian(packet[8..], Ssrc);
        packet[12..(12 + PayloadLength)].Fill((byte)marker);
        BinaryPrimitives.WriteInt32BigEndian(packet[12..], marker);
        if (Sends.ProtectRtp(packet, 12 + PayloadLength, out var length) != SrtpStatus.Ok)
        {
            Assert.Fail("the phone could not protect its packet");
        }

        return packet[..length];
    }

    public void Send(ReadOnlySpan<byte> packet, SocketAddress to) => Socket.SendTo(packet, SocketFlags.None, to);

    public void SendNext(int marker, SocketAddress to) => Send(NextPacket(marker), to);

    /// <summary>Receives one datagram; returns the unprotect status and the decrypted RTP packet (a view into a kept buffer).</summary>
    public SrtpStatus Receive(out Span<byte> plain)
    {
        var received = Socket.ReceiveFrom(_receive, SocketFlags.None, _from);
        var status = Receives.UnprotectRtp(_receive.AsSpan(0, received), out var length);
        plain = _receive.AsSpan(0, length);
        return status;
    }

    /// <summary>The marker of a decrypted packet from <see cref="NextPacket"/>.</summary>
    public static int MarkerOf(ReadOnlySpan<byte> plain) => BinaryPrimitives.ReadInt32BigEndian(plain[12..]);

    public void Dispose()
    {
        Socket.Dispose();
        Sends.Dispose();
        Receives.Dispose();
    }
}
