using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace HostedPbx.Data.Certificates;

/// <summary>
/// Encrypts private keys at rest with AES-256-GCM under a 32-byte master key from configuration.
/// Blob: version (1) | key id (8) | nonce (12) | ciphertext | tag (16). The associated data is
/// version | key id | UTF-8 purpose, so a blob only opens for the purpose (the row) it was made for.
/// Retired master keys may be given so that blobs made under them still open; <see cref="IsCurrent"/> tells
/// which blobs to protect again.
/// </summary>
public sealed class KeyProtector : IDisposable
{
    private const byte Version = 1;
    private const int KeySize = 32;
    private const int KeyIdSize = 8;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + KeyIdSize + NonceSize;

    private readonly byte[] _currentKey;
    private readonly ulong _currentKeyId;
    private readonly Dictionary<ulong, byte[]> _keys = [];
    private bool _disposed;

    public KeyProtector(ReadOnlySpan<byte> masterKey)
        : this(masterKey, [])
    {
    }

    public KeyProtector(ReadOnlySpan<byte> masterKey, IEnumerable<byte[]> retiredKeys)
    {
        ArgumentNullException.ThrowIfNull(retiredKeys);
        _currentKey = CheckedCopy(masterKey);
        _currentKeyId = KeyId(_currentKey);
        _keys[_currentKeyId] = _currentKey;
        foreach (var retired in retiredKeys)
        {
            var key = CheckedCopy(retired);
            _keys.TryAdd(KeyId(key), key);
        }
    }

    /// <summary>Reads master keys written as base64 (e.g. <c>openssl rand -base64 32</c>).</summary>
    public static KeyProtector FromBase64(string masterKey, params IEnumerable<string> retiredKeys)
    {
        ArgumentNullException.ThrowIfNull(retiredKeys);
        var current = DecodeBase64(masterKey);
        try
        {
            return new KeyProtector(current, retiredKeys.Select(DecodeBase64).ToList());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(current);
        }
    }

    public byte[] Protect(ReadOnlySpan<byte> plaintext, string purpose)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        var blob = new byte[HeaderSize + plaintext.Length + TagSize];
        blob[0] = Version;
        BinaryPrimitives.WriteUInt64BigEndian(blob.AsSpan(1, KeyIdSize), _currentKeyId);
        var nonce = blob.AsSpan(1 + KeyIdSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_currentKey, TagSize);
        aes.Encrypt(nonce, plaintext, blob.AsSpan(HeaderSize, plaintext.Length), blob.AsSpan(blob.Length - TagSize),
            AssociatedData(blob, purpose));
        return blob;
    }

    /// <summary>Opens a blob; the caller should zero the returned bytes once the key is imported.</summary>
    /// <exception cref="KeyProtectionException">Malformed blob, unknown master key, wrong purpose or tampering.</exception>
    public byte[] Unprotect(ReadOnlySpan<byte> blob, string purpose)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        if (blob.Length < HeaderSize + TagSize)
        {
            throw new KeyProtectionException("The protected key is too short to be a key blob.");
        }

        if (blob[0] != Version)
        {
            throw new KeyProtectionException($"The protected key has format version {blob[0]}; only version {Version} is known.");
        }

        var keyId = BinaryPrimitives.ReadUInt64BigEndian(blob.Slice(1, KeyIdSize));
        if (!_keys.TryGetValue(keyId, out var key))
        {
            throw new KeyProtectionException($"The protected key was made under master key {keyId:x16}, which is not configured.");
        }

        var plaintext = new byte[blob.Length - HeaderSize - TagSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(blob.Slice(1 + KeyIdSize, NonceSize), blob[HeaderSize..^TagSize], blob[^TagSize..], plaintext,
                AssociatedData(blob, purpose));
            return plaintext;
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new KeyProtectionException("The protected key failed authentication: it was altered or belongs to another purpose.", ex);
        }
    }

    /// <summary>True when the blob was made under the current master key (no need to protect it again).</summary>
    public bool IsCurrent(ReadOnlySpan<byte> blob) =>
        blob.Length >= HeaderSize && blob[0] == Version && BinaryPrimitives.ReadUInt64BigEndian(blob.Slice(1, KeyIdSize)) == _currentKeyId;

    public void Dispose()
    {
        _disposed = true;
        foreach (var key in _keys.Values)
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static byte[] AssociatedData(ReadOnlySpan<byte> blob, string purpose)
    {
        var header = blob[..(1 + KeyIdSize)];
        var aad = new byte[header.Length + Encoding.UTF8.GetByteCount(purpose)];
        header.CopyTo(aad);
        Encoding.UTF8.GetBytes(purpose, aad.AsSpan(header.Length));
        return aad;
    }

    // The id names the key without revealing it: HMAC-SHA256 of a fixed label under the key, first 8 bytes.
    private static ulong KeyId(byte[] key) =>
        BinaryPrimitives.ReadUInt64BigEndian(HMACSHA256.HashData(key, "HostedPbx key id"u8));

    private static byte[] CheckedCopy(ReadOnlySpan<byte> key) =>
        key.Length == KeySize ? key.ToArray() : throw new ArgumentException($"A master key is {KeySize} bytes long.", nameof(key));

    private static byte[] DecodeBase64(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var bytes = new byte[KeySize];
        if (!Convert.TryFromBase64String(value.Trim(), bytes, out var written) || written != KeySize)
        {
            throw new ArgumentException($"A master key is {KeySize} bytes written as base64 (44 characters).", nameof(value));
        }

        return bytes;
    }
}
