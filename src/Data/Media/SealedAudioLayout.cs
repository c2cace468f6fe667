using System.Buffers.Binary;
using System.Security.Cryptography;

namespace HostedPbx.Data.Media;

/// <summary>
/// The on-disk layout of a sealed audio file, in one place. A 32-byte header (magic "HPBXAUD1", sample rate, channels,
/// bits per sample, segment length, 12 random bytes naming the file) is followed by segments: each is up to one second
/// of PCM encrypted with AES-256-GCM under the file's own data key, then its 16-byte tag. Every segment but the last is
/// full; the last ("final") is shorter than a full one, possibly empty, and is the only one whose nonce carries the final
/// flag, so a file cut anywhere is seen as unfinished rather than taken for a shorter whole (the STREAM construction of
/// Hoang, Reyhanitabar, Rogaway and Vizár, "Online authenticated-encryption and its nonce-reuse misuse-resistance").
/// The nonce is the final flag, three zero bytes and the segment's index (big-endian); the header is every segment's
/// associated data, so a segment moved to another file or position fails authentication. The data key is fresh per
/// file, so no nonce repeats under a key.
/// </summary>
internal sealed class SealedAudioLayout
{
    public const int HeaderLength = 32;
    public const int TagLength = 16;
    public const int KeyLength = 32;
    private const int NonceLength = 12;
    private const int FileIdLength = 12;
    private static ReadOnlySpan<byte> Magic => "HPBXAUD1"u8;

    private SealedAudioLayout(byte[] header, AudioFormat format, int segmentLength)
    {
        Header = header;
        Format = format;
        SegmentLength = segmentLength;
    }

    public byte[] Header { get; }

    public AudioFormat Format { get; }

    /// <summary>Plaintext bytes in every segment but the final one: one second of audio.</summary>
    public int SegmentLength { get; }

    public int RecordLength => SegmentLength + TagLength;

    public static SealedAudioLayout Create(AudioFormat format)
    {
        if (!format.IsSupported)
        {
            throw new ArgumentException($"Sealed audio holds 8 to 48 kHz, one or two channels; {format.SampleRate} Hz with {format.Channels} channels is not supported.", nameof(format));
        }

        var header = new byte[HeaderLength];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), (uint)format.SampleRate);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(12), (ushort)format.Channels);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), AudioFormat.BytesPerSample * 8);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(16), (uint)format.BytesPerSecond);
        RandomNumberGenerator.Fill(header.AsSpan(20, FileIdLength));
        return new SealedAudioLayout(header, format, format.BytesPerSecond);
    }

    public static SealedAudioLayout Read(Stream file)
    {
        var header = new byte[HeaderLength];
        file.Position = 0;
        if (file.ReadAtLeast(header, HeaderLength, throwOnEndOfStream: false) < HeaderLength || !header.AsSpan(0, 8).SequenceEqual(Magic))
        {
            throw new SealedAudioException("The file is not sealed audio (its header is missing or not ours).");
        }

        var format = new AudioFormat(
            (int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(8)), BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(12)));
        var bits = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(14));
        var segment = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(16));
        if (!format.IsSupported || bits != AudioFormat.BytesPerSample * 8 || segment != format.BytesPerSecond)
        {
            throw new SealedAudioException("The sealed audio header names a format this platform does not write.");
        }

        return new SealedAudioLayout(header, format, (int)segment);
    }

    public static void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeyLength)
        {
            throw new ArgumentException($"A sealed audio data key is {KeyLength} bytes long.", nameof(key));
        }
    }

    /// <summary>Encrypts one segment into <paramref name="record"/> (ciphertext then tag).</summary>
    public void Seal(AesGcm aes, long index, bool final, ReadOnlySpan<byte> plaintext, Span<byte> record)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        Nonce(index, final, nonce);
        aes.Encrypt(nonce, plaintext, record[..plaintext.Length], record.Slice(plaintext.Length, TagLength), Header);
    }

    /// <summary>Opens one record; false when it fails authentication as a segment at <paramref name="index"/>.</summary>
    public bool TryOpen(AesGcm aes, long index, bool final, ReadOnlySpan<byte> record, Span<byte> plaintext)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        Nonce(index, final, nonce);
        var length = record.Length - TagLength;
        try
        {
            aes.Decrypt(nonce, record[..length], record[length..], plaintext[..length], Header);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            plaintext[..length].Clear();
            return false;
        }
    }

    /// <summary>
    /// Where the segments of a file of <paramref name="fileLength"/> bytes lie: how many full segments precede the
    /// last record, and the last record's length when it may be the final one (0 when the file cannot be sealed).
    /// </summary>
    public (long FullSegments, int TailRecordLength) Split(long fileLength)
    {
        var body = Math.Max(0, fileLength - HeaderLength);
        var full = body / RecordLength;
        var tail = (int)(body % RecordLength);
        return (full, tail >= TagLength ? tail : 0);
    }

    private static void Nonce(long index, bool final, Span<byte> nonce)
    {
        nonce.Clear();
        nonce[0] = final ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt64BigEndian(nonce[4..], index);
    }
}
