using System.Security.Cryptography;

namespace HostedPbx.Data.Media;

/// <summary>
/// Writes audio as it arrives into a sealed file (see <see cref="SealedAudioLayout"/>): each full second is encrypted
/// and handed to the operating system at once, so a crash of the process loses at most the second being filled, and
/// <see cref="SealedAudio.Recover"/> completes the file on the next start. One thread writes; never the relay's.
/// </summary>
public sealed class SealedAudioWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly AesGcm _aes;
    private readonly SealedAudioLayout _layout;
    private readonly byte[] _segment;
    private readonly byte[] _record;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private int _filled;
    private long _index;
    private long _written;
    private bool _completed;
    private bool _disposed;

    private SealedAudioWriter(FileStream file, ReadOnlySpan<byte> dataKey, SealedAudioLayout layout)
    {
        _file = file;
        _layout = layout;
        _aes = new AesGcm(dataKey, SealedAudioLayout.TagLength);
        _segment = new byte[layout.SegmentLength];
        _record = new byte[layout.RecordLength];
    }

    /// <summary>How long the audio written so far plays.</summary>
    public TimeSpan Duration => _layout.Format.DurationOf(_written);

    public AudioFormat Format => _layout.Format;

    /// <summary>Creates <paramref name="path"/> (and its folders), readable by its owner only; it must not exist yet.</summary>
    public static SealedAudioWriter Create(string path, ReadOnlySpan<byte> dataKey, AudioFormat format)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        SealedAudioLayout.CheckKey(dataKey);
        var layout = SealedAudioLayout.Create(format);
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var file = new FileStream(path, options);
        try
        {
            file.Write(layout.Header);
            file.Flush();
            return new SealedAudioWriter(file, dataKey, layout);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Appends 16-bit PCM in the file's format; any length, whole frames expected.</summary>
    public void Write(ReadOnlySpan<byte> pcm)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            throw new InvalidOperationException("The sealed audio file is complete; nothing more can be written to it.");
        }

        _hash.AppendData(pcm);
        _written += pcm.Length;
        while (!pcm.IsEmpty)
        {
            var take = Math.Min(pcm.Length, _segment.Length - _filled);
            pcm[..take].CopyTo(_segment.AsSpan(_filled));
            _filled += take;
            pcm = pcm[take..];
            if (_filled == _segment.Length)
            {
                WriteSegment(final: false);
            }
        }
    }

    /// <summary>Appends silence that plays for <paramref name="length"/> (a paused recording keeps its timeline).</summary>
    public void WriteSilence(TimeSpan length)
    {
        Span<byte> zeros = stackalloc byte[1024];
        zeros.Clear();
        for (var left = _layout.Format.BytesFor(length); left > 0; left -= zeros.Length)
        {
            Write(zeros[..(int)Math.Min(left, zeros.Length)]);
        }
    }

    /// <summary>Writes the final segment and closes the file; from now on it reads as sealed.</summary>
    public SealedAudioSummary Complete()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_completed)
        {
            WriteSegment(final: true);
            _completed = true;
            _file.Flush(flushToDisk: true);
        }

        var summary = new SealedAudioSummary(Duration, Convert.ToHexStringLower(_hash.GetCurrentHash()), _file.Length, CutShort: false);
        Dispose();
        return summary;
    }

    /// <summary>Closes the file; without <see cref="Complete"/> it stays unfinished, for <see cref="SealedAudio.Recover"/>.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _file.Dispose();
        _aes.Dispose();
        _hash.Dispose();
        CryptographicOperations.ZeroMemory(_segment);
    }

    private void WriteSegment(bool final)
    {
        _layout.Seal(_aes, _index++, final, _segment.AsSpan(0, _filled), _record);
        _file.Write(_record, 0, _filled + SealedAudioLayout.TagLength);
        _file.Flush();
        _filled = 0;
    }
}
