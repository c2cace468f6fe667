using System.Buffers.Binary;
using System.Security.Cryptography;

namespace HostedPbx.Data.Media;

/// <summary>
/// A seekable, read-only view of a sealed file's audio, decrypted one segment at a time as it is read: optionally a
/// 44-byte RIFF/WAVE header first, then the PCM. Nothing decrypted touches the disk, and seeking decrypts only the
/// segment it lands in, so HTTP range requests are served from it. A segment that fails authentication throws
/// <see cref="SealedAudioException"/>: altered audio is never returned as good.
/// </summary>
internal sealed class SealedAudioStream : Stream
{
    private const int WavHeaderLength = 44;

    private readonly FileStream _file;
    private readonly AesGcm _aes;
    private readonly SealedAudioLayout _layout;
    private readonly long _fullSegments;
    private readonly bool _sealed;
    private readonly long _pcmLength;
    private readonly byte[] _prefix;
    private readonly byte[] _record;
    private readonly byte[] _plain;
    private long _cachedSegment = -1;
    private int _cachedLength;
    private long _position;

    public SealedAudioStream(string path, ReadOnlySpan<byte> dataKey, SealedAudioLayout layout, long fullSegments, bool isSealed, long pcmLength, bool wavHeader)
    {
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        _aes = new AesGcm(dataKey, SealedAudioLayout.TagLength);
        _layout = layout;
        _fullSegments = fullSegments;
        _sealed = isSealed;
        _pcmLength = pcmLength;
        _prefix = wavHeader ? WavHeader(layout.Format, pcmLength) : [];
        _record = new byte[layout.RecordLength];
        _plain = new byte[layout.SegmentLength];
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _prefix.Length + _pcmLength;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var total = 0;
        while (!buffer.IsEmpty && _position < Length)
        {
            int copied;
            if (_position < _prefix.Length)
            {
                copied = Math.Min(buffer.Length, _prefix.Length - (int)_position);
                _prefix.AsSpan((int)_position, copied).CopyTo(buffer);
            }
            else
            {
                var pcm = _position - _prefix.Length;
                var segment = pcm / _layout.SegmentLength;
                Load(segment);
                var within = (int)(pcm % _layout.SegmentLength);
                copied = Math.Min(buffer.Length, _cachedLength - within);
                _plain.AsSpan(within, copied).CopyTo(buffer);
            }

            buffer = buffer[copied..];
            _position += copied;
            total += copied;
        }

        return total;
    }

    public override long Seek(long offset, SeekOrigin origin) =>
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException("Sealed audio is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Sealed audio is read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
            _aes.Dispose();
            CryptographicOperations.ZeroMemory(_plain);
        }

        base.Dispose(disposing);
    }

    private void Load(long segment)
    {
        if (segment == _cachedSegment)
        {
            return;
        }

        var final = segment >= _fullSegments;
        if (final && !_sealed)
        {
            throw new SealedAudioException("The sealed audio ends before its last segment.");
        }

        var length = final ? (int)(_pcmLength - segment * _layout.SegmentLength) + SealedAudioLayout.TagLength : _layout.RecordLength;
        _file.Position = SealedAudioLayout.HeaderLength + segment * _layout.RecordLength;
        var record = _record.AsSpan(0, length);
        if (_file.ReadAtLeast(record, length, throwOnEndOfStream: false) < length || !_layout.TryOpen(_aes, segment, final, record, _plain))
        {
            _cachedSegment = -1;
            throw new SealedAudioException($"Segment {segment} of the sealed audio fails authentication: the file was altered or damaged.");
        }

        _cachedSegment = segment;
        _cachedLength = length - SealedAudioLayout.TagLength;
    }

    // The canonical 44-byte header of a PCM WAVE file (RIFF, "fmt " chunk of 16 bytes, "data" chunk).
    private static byte[] WavHeader(AudioFormat format, long pcmLength)
    {
        var data = (uint)Math.Min(pcmLength, uint.MaxValue - 36);
        var header = new byte[WavHeaderLength];
        var span = header.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], 36 + data);
        "WAVEfmt "u8.CopyTo(span[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(span[20..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(span[22..], (ushort)format.Channels);
        BinaryPrimitives.WriteUInt32LittleEndian(span[24..], (uint)format.SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(span[28..], (uint)format.BytesPerSecond);
        BinaryPrimitives.WriteUInt16LittleEndian(span[32..], (ushort)format.BytesPerFrame);
        BinaryPrimitives.WriteUInt16LittleEndian(span[34..], AudioFormat.BytesPerSample * 8);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[40..], data);
        return header;
    }
}
