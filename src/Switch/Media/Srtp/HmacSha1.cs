using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace HostedPbx.Switch.Media.Srtp;

/// <summary>
/// HMAC-SHA1 with one key over a message given in up to two parts (RFC 2104), as SRTP and SRTCP authenticate
/// (RFC 3711 §4.2). With libcrypto, the SHA-1 states after the key's inner and outer pads are computed once; a tag then
/// copies those 96-octet states and hashes the message and the inner digest (five calls, nothing allocated or freed),
/// where the BCL copies and frees an OpenSSL digest context for every tag. Without libcrypto, the BCL's HMAC.
/// </summary>
internal sealed class HmacSha1 : IDisposable
{
    public const int Length = 20;

    private const int Inner = 0;
    private const int Outer = LibCrypto.Sha1StateSize;
    private const int Work = 2 * LibCrypto.Sha1StateSize;

    private readonly byte[]? _states;
    private readonly nint _work;
    private readonly IncrementalHash? _managed;

    public HmacSha1(ReadOnlySpan<byte> key, bool openSsl)
    {
        if (!openSsl)
        {
            _managed = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, key);
            return;
        }

        _states = GC.AllocateArray<byte>(3 * LibCrypto.Sha1StateSize, pinned: true);
        _work = Marshal.UnsafeAddrOfPinnedArrayElement(_states, Work);

        // RFC 2104 §2: the pads are the key, zero-filled to a block, XOR 0x36 and 0x5c. SRTP's keys (RFC 3711 §8.2:
        // 160 bits) are shorter than a block, so the step for longer keys (hash them first) is left out.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(key.Length, LibCrypto.Sha1BlockSize, nameof(key));
        Span<byte> pad = stackalloc byte[LibCrypto.Sha1BlockSize];
        pad.Clear();
        key.CopyTo(pad);

        PadState(pad, 0x36, Inner);
        PadState(pad, 0x36 ^ 0x5c, Outer);
        CryptographicOperations.ZeroMemory(pad);
    }

    /// <summary>The 20-octet HMAC of <paramref name="first"/> followed by <paramref name="second"/>.</summary>
    public void Compute(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> digest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(digest.Length, Length, nameof(digest));
        if (_managed is not null)
        {
            _managed.AppendData(first);
            _managed.AppendData(second);
            _managed.GetHashAndReset(digest);
            return;
        }

        var states = _states.AsSpan();
        states.Slice(Inner, LibCrypto.Sha1StateSize).CopyTo(states[Work..]);
        Span<byte> inner = stackalloc byte[Length];
        _ = LibCrypto.Sha1Update(_work, in MemoryMarshal.GetReference(first), (nuint)first.Length);
        if (!second.IsEmpty)
        {
            _ = LibCrypto.Sha1Update(_work, in MemoryMarshal.GetReference(second), (nuint)second.Length);
        }

        _ = LibCrypto.Sha1Final(ref MemoryMarshal.GetReference(inner), _work);
        states.Slice(Outer, LibCrypto.Sha1StateSize).CopyTo(states[Work..]);
        _ = LibCrypto.Sha1Update(_work, in MemoryMarshal.GetReference(inner), Length);
        _ = LibCrypto.Sha1Final(ref MemoryMarshal.GetReference(digest), _work);
    }

    public void Dispose()
    {
        _managed?.Dispose();
        if (_states is not null)
        {
            CryptographicOperations.ZeroMemory(_states);
        }
    }

    // The pad is XORed in place: with 0x36 for the inner state, then with 0x36 ^ 0x5c to turn it into the outer pad.
    private void PadState(Span<byte> pad, byte xor, int offset)
    {
        for (var i = 0; i < pad.Length; i++)
        {
            pad[i] ^= xor;
        }

        var state = Marshal.UnsafeAddrOfPinnedArrayElement(_states!, offset);
        if (LibCrypto.Sha1Init(state) != 1 || LibCrypto.Sha1Update(state, in MemoryMarshal.GetReference(pad), (nuint)pad.Length) != 1)
        {
            throw new CryptographicException("OpenSSL SHA-1 failed.");
        }
    }
}
