using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace HostedPbx.Switch.Media.Srtp;

/// <summary>
/// AES-GCM with one key and tag length (RFC 7714), sealing and opening in place. With libcrypto: a kept context per
/// direction, and an open that reports a bad tag as a result (OpenSSL's final call returns 0), one pass for good and
/// forged packets alike. Without it, the BCL's <see cref="AesGcm"/>, whose decryption throws (and allocates) on a bad
/// tag, so an open there encrypts twice instead (see <see cref="TryOpenManaged"/>).
/// </summary>
internal sealed class GcmCipher : IDisposable
{
    private const int StackLimit = 1500;

    private readonly LibCrypto.CipherContext? _seal;
    private readonly LibCrypto.CipherContext? _open;
    private readonly AesGcm? _managed;
    private readonly int _tagLength;

    public GcmCipher(ReadOnlySpan<byte> key, int tagLength, bool openSsl)
    {
        _tagLength = tagLength;
        if (!openSsl)
        {
            _managed = new AesGcm(key, tagLength);
            return;
        }

        if (key.Length is not (16 or 32))
        {
            throw new ArgumentException("An AES-GCM key has 16 or 32 octets.", nameof(key));
        }

        var cipher = key.Length == 16 ? LibCrypto.Aes128Gcm() : LibCrypto.Aes256Gcm();
        _seal = Context(cipher, key, encrypt: 1);
        _open = Context(cipher, key, encrypt: 0);
    }

    /// <summary>Encrypts <paramref name="data"/> in place and writes the tag; <paramref name="aad"/> is authenticated only.</summary>
    public void Seal(ReadOnlySpan<byte> nonce, Span<byte> data, Span<byte> tag, ReadOnlySpan<byte> aad)
    {
        tag = tag[.._tagLength];
        if (_managed is not null)
        {
            _managed.Encrypt(nonce, data, data, tag, aad);
            return;
        }

        var context = _seal!;
        Span<byte> final = stackalloc byte[16];
        if (LibCrypto.SetIv(context, 0, 0, 0, in MemoryMarshal.GetReference(nonce), -1) != 1
            || (!aad.IsEmpty && LibCrypto.UpdateAad(context, 0, out _, in MemoryMarshal.GetReference(aad), aad.Length) != 1)
            || (!data.IsEmpty && LibCrypto.Update(context, ref MemoryMarshal.GetReference(data), out _, in MemoryMarshal.GetReference(data), data.Length) != 1)
            || LibCrypto.Final(context, ref MemoryMarshal.GetReference(final), out _) != 1
            || LibCrypto.GetGcmTag(context, tag) != 1)
        {
            LibCrypto.ClearErrors();
            throw new CryptographicException("OpenSSL AES-GCM encryption failed.");
        }
    }

    /// <summary>
    /// Decrypts <paramref name="ciphertext"/> in place when <paramref name="tag"/> verifies; otherwise returns false and
    /// leaves it as it came. No exception and nothing allocated either way, so forgeries cost what good packets do.
    /// </summary>
    public bool TryOpen(ReadOnlySpan<byte> nonce, Span<byte> ciphertext, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> aad)
    {
        // Decrypted beside the packet, so a forged one is left as it came; the plaintext copy is wiped either way.
        byte[]? rented = null;
        var plaintext = ciphertext.Length <= StackLimit ? stackalloc byte[StackLimit] : rented = ArrayPool<byte>.Shared.Rent(ciphertext.Length);
        plaintext = plaintext[..ciphertext.Length];
        try
        {
            var opened = _managed is not null
                ? TryOpenManaged(_managed, nonce, ciphertext, plaintext, tag, aad)
                : TryOpenNative(_open!, nonce, ciphertext, plaintext, tag, aad);
            if (opened)
            {
                plaintext.CopyTo(ciphertext);
            }

            return opened;
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

    public void Dispose()
    {
        _seal?.Dispose();
        _open?.Dispose();
        _managed?.Dispose();
    }

    private static bool TryOpenNative(LibCrypto.CipherContext context, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> aad)
    {
        Span<byte> expected = stackalloc byte[16];
        Span<byte> final = stackalloc byte[16];
        tag.CopyTo(expected);
        var opened = LibCrypto.SetIv(context, 0, 0, 0, in MemoryMarshal.GetReference(nonce), -1) == 1
            && LibCrypto.SetGcmTag(context, expected[..tag.Length]) == 1
            && (aad.IsEmpty || LibCrypto.UpdateAad(context, 0, out _, in MemoryMarshal.GetReference(aad), aad.Length) == 1)
            && (ciphertext.IsEmpty || LibCrypto.Update(context, ref MemoryMarshal.GetReference(plaintext), out _, in MemoryMarshal.GetReference(ciphertext), ciphertext.Length) == 1)
            && LibCrypto.Final(context, ref MemoryMarshal.GetReference(final), out _) == 1;
        if (!opened)
        {
            // A tag that does not verify is an ordinary outcome here, not an error to keep in OpenSSL's queue.
            LibCrypto.ClearErrors();
        }

        return opened;
    }

    /// <summary>
    /// GCM encrypts with a counter-mode keystream (NIST SP 800-38D §7.1), so encrypting the ciphertext yields the
    /// plaintext, and encrypting that plaintext yields the ciphertext again together with the tag its sender must have
    /// sent. Good and forged packets cost the same two passes, and nothing throws.
    /// </summary>
    private static bool TryOpenManaged(AesGcm gcm, ReadOnlySpan<byte> nonce, Span<byte> ciphertext, Span<byte> plaintext, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> aad)
    {
        Span<byte> expected = stackalloc byte[16];
        expected = expected[..tag.Length];
        gcm.Encrypt(nonce, ciphertext, plaintext, expected, aad);

        // Writes back exactly the ciphertext that was there, so a forged packet is left as it came.
        gcm.Encrypt(nonce, plaintext, ciphertext, expected, aad);
        return CryptographicOperations.FixedTimeEquals(expected, tag);
    }

    private static LibCrypto.CipherContext Context(nint cipher, ReadOnlySpan<byte> key, int encrypt)
    {
        var context = LibCrypto.NewCipherContext();
        if (context.IsInvalid || LibCrypto.InitCipher(context, cipher, 0, in MemoryMarshal.GetReference(key), 0, encrypt) != 1)
        {
            context.Dispose();
            LibCrypto.ClearErrors();
            throw new CryptographicException("OpenSSL could not set up AES-GCM.");
        }

        return context;
    }
}
