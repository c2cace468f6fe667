using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace HostedPbx.Switch.Media.Srtp;

/// <summary>
/// AES in counter mode as SRTP uses it (RFC 3711 §4.1.1): the keystream is AES of successive 128-bit counter blocks,
/// which is OpenSSL's CTR mode (one kept context, a new IV and one update per packet), or, without libcrypto, AES-ECB
/// of counter blocks through the BCL.
/// </summary>
internal sealed class AesCounterMode : IDisposable
{
    public const int BlockSize = 16;
    private const int ChunkBlocks = 32;

    private readonly LibCrypto.CipherContext? _native;
    private readonly Aes? _aes;
    private readonly ICryptoTransform? _ecb;

    // The one-shot Aes.EncryptEcb creates a native cipher per call; a kept transform over kept arrays does not.
    private readonly byte[]? _counters;
    private readonly byte[]? _keystream;

    public AesCounterMode(ReadOnlySpan<byte> key)
        : this(key, LibCrypto.IsAvailable)
    {
    }

    /// <param name="key">16 or 32 octets.</param>
    /// <param name="openSsl">False for the BCL's AES (what a machine without libcrypto 3 runs; tests compare both).</param>
    internal AesCounterMode(ReadOnlySpan<byte> key, bool openSsl)
    {
        if (key.Length is not (16 or 32))
        {
            throw new ArgumentException("An AES-CM key has 16 or 32 octets.", nameof(key));
        }

        if (openSsl)
        {
            _native = LibCrypto.NewCipherContext();
            var cipher = key.Length == 16 ? LibCrypto.Aes128Ctr() : LibCrypto.Aes256Ctr();
            if (_native.IsInvalid || LibCrypto.InitCipher(_native, cipher, 0, in MemoryMarshal.GetReference(key), 0, 1) != 1)
            {
                _native.Dispose();
                throw new CryptographicException("OpenSSL could not set up AES-CTR.");
            }

            return;
        }

        _counters = new byte[ChunkBlocks * BlockSize];
        _keystream = new byte[ChunkBlocks * BlockSize];
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();
    }

    /// <summary>XORs <paramref name="data"/> with the keystream whose first counter block is <paramref name="iv"/>.</summary>
    public void Transform(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        if (_native is not null)
        {
            // CTR in place: OpenSSL counts the whole 16-octet block up, big-endian, as RFC 3711's IV + i does.
            if (data.IsEmpty)
            {
                return;
            }

            ref var start = ref MemoryMarshal.GetReference(data);
            if (LibCrypto.SetIv(_native, 0, 0, 0, in MemoryMarshal.GetReference(iv), -1) != 1
                || LibCrypto.Update(_native, ref start, out _, in start, data.Length) != 1)
            {
                throw new CryptographicException("OpenSSL AES-CTR failed.");
            }

            return;
        }

        var counters = _counters.AsSpan();
        var high = BinaryPrimitives.ReadUInt64BigEndian(iv);
        var low = BinaryPrimitives.ReadUInt64BigEndian(iv[8..]);
        while (!data.IsEmpty)
        {
            var blocks = Math.Min(ChunkBlocks, (data.Length + BlockSize - 1) / BlockSize);
            for (var i = 0; i < blocks; i++)
            {
                var block = counters.Slice(i * BlockSize, BlockSize);
                BinaryPrimitives.WriteUInt64BigEndian(block, high);
                BinaryPrimitives.WriteUInt64BigEndian(block[8..], low);
                if (++low == 0)
                {
                    high++;
                }
            }

            var bytes = blocks * BlockSize;
            _ecb!.TransformBlock(_counters!, 0, bytes, _keystream!, 0);
            var count = Math.Min(data.Length, bytes);
            Xor(data[..count], _keystream);
            data = data[count..];
        }
    }

    public void Dispose()
    {
        _native?.Dispose();
        _ecb?.Dispose();
        _aes?.Dispose();
    }

    private static void Xor(Span<byte> data, ReadOnlySpan<byte> keystream)
    {
        var words = data.Length / sizeof(ulong);
        var dataWords = MemoryMarshal.Cast<byte, ulong>(data[..(words * sizeof(ulong))]);
        var keyWords = MemoryMarshal.Cast<byte, ulong>(keystream[..(words * sizeof(ulong))]);
        for (var i = 0; i < dataWords.Length; i++)
        {
            dataWords[i] ^= keyWords[i];
        }

        for (var i = words * sizeof(ulong); i < data.Length; i++)
        {
            data[i] ^= keystream[i];
        }
    }
}
