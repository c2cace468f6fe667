using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

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
    private readonly IncrementalHash? _rtpHmac;
    private readonly IncrementalHash? _rtcpHmac;
    private readonly AesGcm? _rtpGcm;
    private readonly AesGcm? _rtcpGcm;
    private readonly SrtpStream[] _streams = new SrtpStream[StreamCapacity];
    private long _useClock;

    /// <summary>Derives the session keys of <paramref name="suite"/> from a master key and salt (RFC 3711 §4.3, kdr 0).</summary>
    public SrtpContext(SrtpSuite suite, SrtpKeys keys)
        : this(suite, SrtpKeyDerivation.DeriveSrtp(suite, Validated(suite, keys)), SrtpKeyDerivation.DeriveSrtcp(suite, keys))
    {
    }

    internal SrtpContext(SrtpSuite suite, SrtpSessionKeys rtp, SrtpSessionKeys rtcp)
    {
        Suite = suite;
        _profile = SrtpSuiteProfile.Of(suite);
        _rtpSalt = rtp.Salt;
        _rtcpSalt = rtcp.Salt;
        if (_profile.IsAead)
        {
            _rtpGcm = new AesGcm(rtp.EncryptionKey, _profile.SrtpTagLength);
            _rtcpGcm = new AesGcm(rtcp.EncryptionKey, _profile.SrtcpTagLength);
        }
        else
        {
            _rtpCipher = new AesCounterMode(rtp.EncryptionKey);
            _rtcpCipher = new AesCounterMode(rtcp.EncryptionKey);
            _rtpHmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, rtp.AuthKey);
            _rtcpHmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, rtcp.AuthKey);
        }
    }

    public SrtpSuite Suite { get; }

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

    /// <summary>
    /// AES-GCM decryption that leaves the packet as it was when the tag does not verify, without an exception: the BCL's
    /// <see cref="AesGcm.Decrypt(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte}, ReadOnlySpan{byte})"/>
    /// throws (and allocates) on a bad tag, so a flood of forgeries would cost far more than good packets. GCM encrypts
    /// with a counter-mode keystream (NIST SP 800-38D §7.1), so encrypting the ciphertext yields the plaintext, and
    /// encrypting that plaintext yields the ciphertext again together with the tag its sender must have sent. Good and
    /// forged packets cost the same two passes.
    /// </summary>
    private static bool TryOpen(AesGcm gcm, ReadOnlySpan<byte> nonce, Span<byte> ciphertext, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> aad)
    {
        byte[]? rented = null;
        var plaintext = ciphertext.Length <= 1500
            ? stackalloc byte[1500]
            : rented = ArrayPool<byte>.Shared.Rent(ciphertext.Length);
        plaintext = plaintext[..ciphertext.Length];
        Span<byte> expected = stackalloc byte[16];
        expected = expected[..tag.Length];
        try
        {
            gcm.Encrypt(nonce, ciphertext, plaintext, expected, aad);

            // Writes back exactly the ciphertext that was there, so a forged packet is left as it came.
            gcm.Encrypt(nonce, plaintext, ciphertext, expected, aad);
            if (!CryptographicOperations.FixedTimeEquals(expected, tag))
            {
                return false;
            }

            plaintext.CopyTo(ciphertext);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
