using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Benchmarks;

/// <summary>
/// Where a relayed packet's SRTP time goes (issue 13 item 2): each primitive once over one 20 ms G.711 packet (172
/// octets), through the same BCL objects the contexts keep (nothing is created per call).
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
    private AesCounterMode _aesCm = null!;
    private IncrementalHash _hmac = null!;
    private AesGcm _gcm = null!;

    [GlobalSetup]
    public void Setup()
    {
        _aesCm = new AesCounterMode(RandomNumberGenerator.GetBytes(16));
        _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, RandomNumberGenerator.GetBytes(20));
        _gcm = new AesGcm(RandomNumberGenerator.GetBytes(16), 16);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _aesCm.Dispose();
        _hmac.Dispose();
        _gcm.Dispose();
    }

    /// <summary>AES-CM keystream XOR over the 160-octet payload (one ECB call over 10 counter blocks).</summary>
    [Benchmark]
    public void AesCmKeystream() => _aesCm.Transform(_iv, _packet.AsSpan(12, 160));

    /// <summary>HMAC-SHA1 over header, payload and ROC, as RFC 3711 §4.2 authenticates: two appends and a final.</summary>
    [Benchmark]
    public void HmacSha1Tag()
    {
        _hmac.AppendData(_packet.AsSpan(0, 172));
        _hmac.AppendData(_packet.AsSpan(172, 4));
        _hmac.GetHashAndReset(_digest);
    }

    /// <summary>One AES-GCM pass over the payload with the header as associated data (a protect; an unprotect is two).</summary>
    [Benchmark]
    public void AesGcmPass() => _gcm.Encrypt(_nonce, _packet.AsSpan(12, 160), _packet.AsSpan(12, 160), _tag, _packet.AsSpan(0, 12));
}
