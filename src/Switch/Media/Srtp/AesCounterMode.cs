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

    public AesCounterMode(ReadOnlySpan<byte> key)
    {
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
    }

    /// <summary>XORs <paramref name="data"/> with the keystream whose first counter block is <paramref name="iv"/>.</summary>
    public void Transform(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        Span<byte> counters = stackalloc byte[ChunkBlocks * BlockSize];
        Span<byte> keystream = stackalloc byte[ChunkBlocks * BlockSize];
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
            _aes.EncryptEcb(counters[..bytes], keystream, PaddingMode.None);
            var count = Math.Min(data.Length, bytes);
            Xor(data[..count], keystream);
            data = data[count..];
        }
    }

    public void Dispose() => _aes.Dispose();

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
