using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Benchmarks;

/// <summary>
/// Where a relayed packet's SRTP time goes (issue 13 item 2): each primitive once over one 20 ms G.711 packet (172
/// octets), through the objects the contexts keep (nothing is created per call): libcrypto called directly, or the BCL.
/// </summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet's GlobalCleanup disposes them.")]
public class SrtpPrimitiveBenchmarks
{
    private readonly byte[] _packet = new byte[172 + 16];
    private readonly byte[] _iv = new byte[16];
    private readonly byte[] _digest = new byte[20];
    private readonly byte[] _nonce = new byte[12];
    private readonly byte[] _tag = new byte[16];
    private readonly byte[] _forgedTag = new byte[16];
    private AesCounterMode _aesCm = null!;
    private HmacSha1 _hmac = null!;
    private GcmCipher _gcm = null!;

    /// <summary>True: libcrypto called directly (what the switch runs); false: the BCL's primitives (its fallback).</summary>
    [Params(true, false)]
    public bool OpenSsl { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _aesCm = new AesCounterMode(RandomNumberGenerator.GetBytes(16), OpenSsl);
        _hmac = new HmacSha1(RandomNumberGenerator.GetBytes(20), OpenSsl);
        _gcm = new GcmCipher(RandomNumberGenerator.GetBytes(16), 16, OpenSsl);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _aesCm.Dispose();
        _hmac.Dispose();
        _gcm.Dispose();
    }

    /// <summary>AES-CM keystream XOR over the 160-octet payload (CTR in place, or one BCL ECB call over 10 counter blocks).</summary>
    [Benchmark]
    public void AesCmKeystream() => _aesCm.Transform(_iv, _packet.AsSpan(12, 160));

    /// <summary>HMAC-SHA1 tag over header, payload and ROC, as RFC 3711 §4.2 authenticates.</summary>
    [Benchmark]
    public void HmacSha1Tag() => _hmac.Compute(_packet.AsSpan(0, 172), _packet.AsSpan(172, 4), _digest);

    /// <summary>One AES-GCM seal over the payload with the header as associated data (a protect).</summary>
    [Benchmark]
    public void AesGcmSeal() => _gcm.Seal(_nonce, _packet.AsSpan(12, 160), _tag, _packet.AsSpan(0, 12));

    /// <summary>An AES-GCM open whose tag does not verify (an unprotect of a forgery; the BCL path encrypts twice).</summary>
    [Benchmark]
    public bool AesGcmOpenForged() => _gcm.TryOpen(_nonce, _packet.AsSpan(12, 160), _forgedTag, _packet.AsSpan(0, 12));
}
