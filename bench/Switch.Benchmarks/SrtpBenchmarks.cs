using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Benchmarks;

/// <summary>One 20 ms G.711 packet (12-octet header, 160 octets of payload) per operation.</summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet's GlobalCleanup disposes the contexts.")]
public class SrtpBenchmarks
{
    private const int PlainLength = 12 + 160;

    private readonly byte[] _plain = new byte[PlainLength];
    private readonly byte[] _buffer = new byte[PlainLength + 64];
    private byte[] _protected = [];
    private byte[] _forged = [];
    private SrtpContext _sender = null!;
    private SrtpContext _receiver = null!;
    private SrtpContext _legBSender = null!;
    private ushort _sequence;

    [Params(SrtpSuite.AesCm128HmacSha1Tag80, SrtpSuite.AesCm128HmacSha1Tag32, SrtpSuite.Aes256CmHmacSha1Tag80, SrtpSuite.AeadAes128Gcm, SrtpSuite.AeadAes256Gcm)]
    public SrtpSuite Suite { get; set; }

    /// <summary>True: libcrypto called directly (what the switch runs); false: the BCL's primitives (its fallback).</summary>
    [Params(true, false)]
    public bool OpenSsl { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _plain[0] = 0x80;
        BinaryPrimitives.WriteUInt32BigEndian(_plain.AsSpan(8), 0x5EED_F00D);
        var keys = SrtpKeys.Generate(Suite);
        _sender = new SrtpContext(Suite, keys, OpenSsl);
        _receiver = new SrtpContext(Suite, keys, OpenSsl);

        // The relay re-keys to the other leg, which negotiated its own suite.
        var legB = Suite == SrtpSuite.AeadAes128Gcm ? SrtpSuite.AesCm128HmacSha1Tag80 : SrtpSuite.AeadAes128Gcm;
        _legBSender = new SrtpContext(legB, SrtpKeys.Generate(legB), OpenSsl);

        _plain.CopyTo(_buffer, 0);
        _sender.ProtectRtp(_buffer, PlainLength, out var length);
        _protected = _buffer[..length];
        _forged = _buffer[..length];
        _forged[^1] ^= 0x01;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender.Dispose();
        _receiver.Dispose();
        _legBSender.Dispose();
    }

    [Benchmark]
    public int Protect()
    {
        _plain.CopyTo(_buffer, 0);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(2), _sequence++);
        _sender.ProtectRtp(_buffer, PlainLength, out var length);
        return length;
    }

    /// <summary>Authenticates and decrypts the same packet each time, after making the receiver forget it saw it.</summary>
    [Benchmark]
    public int Unprotect()
    {
        _receiver.ForgetStreams();
        _protected.CopyTo(_buffer, 0);
        _receiver.UnprotectRtp(_buffer.AsSpan(0, _protected.Length), out var length);
        return length;
    }

    /// <summary>A packet whose tag does not verify (one flipped bit): refused, and should cost no more than a good one.</summary>
    [Benchmark]
    public SrtpStatus UnprotectForged()
    {
        _forged.CopyTo(_buffer, 0);
        return _receiver.UnprotectRtp(_buffer.AsSpan(0, _forged.Length), out _);
    }

    /// <summary>What the relay does per packet: unprotect with leg A's inbound context, protect with leg B's outbound one.</summary>
    [Benchmark]
    public int Relay()
    {
        _receiver.ForgetStreams();
        _protected.CopyTo(_buffer, 0);
        _receiver.UnprotectRtp(_buffer.AsSpan(0, _protected.Length), out var length);
        _legBSender.ProtectRtp(_buffer, length, out var relayed);
        return relayed;
    }
}
