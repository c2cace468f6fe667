using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace HostedPbx.Switch.Media.Srtp;

/// <summary>AES in counter mode as SRTP uses it (RFC 3711 §4.1.1): the keystream is AES-ECB of successive counter blocks.</summary>
internal sealed class AesCounterMode : IDisposable
{
    public const int BlockSize = 16;
    private const int ChunkBlocks = 32;

    private readonly Aes _aes;
    private readonly ICryptoTransform _ecb;

    // The one-shot Aes.EncryptEcb creates a native cipher per call; a kept transform over kept arrays does not.
    private readonly byte[] _counters = new byte[ChunkBlocks * BlockSize];
    private readonly byte[] _keystream = new byte[ChunkBlocks * BlockSize];

    public AesCounterMode(ReadOnlySpan<byte> key)
    {
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();
    }

    /// <summary>XORs <paramref name="data"/> with the keystream whose first counter block is <paramref name="iv"/>.</summary>
    public void Transform(ReadOnlySpan<byte> iv, Span<byte> data)
    {
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
            _ecb.TransformBlock(_counters, 0, bytes, _keystream, 0);
            var count = Math.Min(data.Length, bytes);
            Xor(data[..count], _keystream);
            data = data[count..];
        }
    }

    public void Dispose()
    {
        _ecb.Dispose();
        _aes.Dispose();
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
