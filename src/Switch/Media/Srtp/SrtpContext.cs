using System.Buffers.Binary;

namespace HostedPbx.Switch.Media.Srtp;

/// <summary>
/// One direction of an SRTP session (RFC 3711 §3.2): the session keys derived from one SDES master key, for SRTP and
/// SRTCP, with per-SSRC rollover counters and replay lists. Protects and unprotects in place without allocating.
/// Not thread-safe: a relay leg owns its inbound and outbound contexts.
/// </summary>
public sealed partial class SrtpContext : IDisposable
{
    private const int StreamCapacity = 4;
    private const int GcmNonceLength = 12;

    private readonly SrtpSuiteProfile _profile;
    private readonly byte[] _rtpSalt;
    private readonly byte[] _rtcpSalt;
    private readonly AesCounterMode? _rtpCipher;
    private readonly AesCounterMode? _rtcpCipher;
    private readonly HmacSha1? _rtpHmac;
    private readonly HmacSha1? _rtcpHmac;
    private readonly GcmCipher? _rtpGcm;
    private readonly GcmCipher? _rtcpGcm;
    private readonly SrtpStream[] _streams = new SrtpStream[StreamCapacity];
    private long _useClock;

    /// <summary>Derives the session keys of <paramref name="suite"/> from a master key and salt (RFC 3711 §4.3, kdr 0).</summary>
    public SrtpContext(SrtpSuite suite, SrtpKeys keys)
        : this(suite, keys, LibCrypto.IsAvailable)
    {
    }

    /// <param name="suite">The crypto suite.</param>
    /// <param name="keys">The SDES master key and salt.</param>
    /// <param name="openSsl">False for the BCL's primitives (a machine without libcrypto 3; tests run both).</param>
    internal SrtpContext(SrtpSuite suite, SrtpKeys keys, bool openSsl)
        : this(suite, SrtpKeyDerivation.DeriveSrtp(suite, Validated(suite, keys)), SrtpKeyDerivation.DeriveSrtcp(suite, keys), openSsl)
    {
    }

    internal SrtpContext(SrtpSuite suite, SrtpSessionKeys rtp, SrtpSessionKeys rtcp, bool openSsl)
    {
        UsesOpenSsl = openSsl;
        Suite = suite;
        _profile = SrtpSuiteProfile.Of(suite);
        _rtpSalt = rtp.Salt;
        _rtcpSalt = rtcp.Salt;
        if (_profile.IsAead)
        {
            _rtpGcm = new GcmCipher(rtp.EncryptionKey, _profile.SrtpTagLength, openSsl);
            _rtcpGcm = new GcmCipher(rtcp.EncryptionKey, _profile.SrtcpTagLength, openSsl);
        }
        else
        {
            _rtpCipher = new AesCounterMode(rtp.EncryptionKey, openSsl);
            _rtcpCipher = new AesCounterMode(rtcp.EncryptionKey, openSsl);
            _rtpHmac = new HmacSha1(rtp.AuthKey, openSsl);
            _rtcpHmac = new HmacSha1(rtcp.AuthKey, openSsl);
        }
    }

    public SrtpSuite Suite { get; }

    /// <summary>True when the per-packet crypto calls libcrypto directly, false when it goes through the BCL.</summary>
    internal bool UsesOpenSsl { get; }

    /// <summary>Octets that protecting adds to an RTP packet: the authentication tag.</summary>
    public int SrtpOverhead => _profile.SrtpTagLength;

    /// <summary>Octets that protecting adds to an RTCP packet: the E flag and SRTCP index, and the tag.</summary>
    public int SrtcpOverhead => SrtcpIndexLength + _profile.SrtcpTagLength;

    public void Dispose()
    {
        _rtpCipher?.Dispose();
        _rtcpCipher?.Dispose();
        _rtpHmac?.Dispose();
        _rtcpHmac?.Dispose();
        _rtpGcm?.Dispose();
        _rtcpGcm?.Dispose();
    }

    /// <summary>Drops every SSRC's ROC and replay state, so that a benchmark can unprotect the same packet again.</summary>
    internal void ForgetStreams() => Array.Clear(_streams);

    private static SrtpKeys Validated(SrtpSuite suite, SrtpKeys keys)
    {
        var profile = SrtpSuiteProfile.Of(suite);
        if (keys.MasterKey.Length != profile.KeyLength || keys.MasterSalt.Length != profile.SaltLength)
        {
            throw new ArgumentException($"Keys do not have the lengths of {profile.Name}.", nameof(keys));
        }

        return keys;
    }

    private int FindStream(uint ssrc)
    {
        for (var i = 0; i < _streams.Length; i++)
        {
            if (_streams[i].InUse && _streams[i].Ssrc == ssrc)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Takes a free slot for a new SSRC, or the least recently used one.</summary>
    private int ClaimStream(uint ssrc)
    {
        var victim = 0;
        for (var i = 0; i < _streams.Length; i++)
        {
            if (!_streams[i].InUse)
            {
                victim = i;
                break;
            }

            if (_streams[i].LastUsed < _streams[victim].LastUsed)
            {
                victim = i;
            }
        }

        _streams[victim] = new SrtpStream { InUse = true, Ssrc = ssrc };
        return victim;
    }

    private ref SrtpStream Touch(int slot)
    {
        ref var stream = ref _streams[slot];
        stream.LastUsed = ++_useClock;
        return ref stream;
    }

    /// <summary>RFC 3711 §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16).</summary>
    private static void AesCmIv(ReadOnlySpan<byte> salt, uint ssrc, ulong index, Span<byte> iv)
    {
        salt.CopyTo(iv);
        iv[14] = 0;
        iv[15] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(iv[4..], BinaryPrimitives.ReadUInt32BigEndian(iv[4..]) ^ ssrc);
        BinaryPrimitives.WriteUInt16BigEndian(iv[8..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(iv[8..]) ^ (ushort)(index >> 32)));
        BinaryPrimitives.WriteUInt32BigEndian(iv[10..], BinaryPrimitives.ReadUInt32BigEndian(iv[10..]) ^ (uint)index);
    }

    /// <summary>RFC 7714 §8.1 (SRTP) and §9.1 (SRTCP): 2 zero octets, SSRC, then the 48-bit index, XOR the salt.</summary>
    private static void GcmNonce(ReadOnlySpan<byte> salt, uint ssrc, ulong index, Span<byte> nonce)
    {
        nonce.Clear();
        BinaryPrimitives.WriteUInt32BigEndian(nonce[2..], ssrc);
        BinaryPrimitives.WriteUInt16BigEndian(nonce[6..], (ushort)(index >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], (uint)index);
        for (var i = 0; i < GcmNonceLength; i++)
        {
            nonce[i] ^= salt[i];
        }
    }
}
