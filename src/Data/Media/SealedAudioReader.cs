using System.Security.Cryptography;

namespace HostedPbx.Data.Media;

/// <summary>
/// Opens a sealed audio file for playing, downloading or checking. Opening reads the header and authenticates the
/// first and last segments, so a wrong key or a file that is not ours fails at once; every other segment is
/// authenticated as it is read.
/// </summary>
public sealed class SealedAudioReader : IDisposable
{
    private readonly string _path;
    private readonly byte[] _key;
    private readonly SealedAudioLayout _layout;
    private readonly long _fullSegments;

    private SealedAudioReader(string path, byte[] key, SealedAudioLayout layout, long fullSegments, bool isSealed, long pcmLength)
    {
        _path = path;
        _key = key;
        _layout = layout;
        _fullSegments = fullSegments;
        IsSealed = isSealed;
        PcmLength = pcmLength;
    }

    public AudioFormat Format => _layout.Format;

    /// <summary>Bytes of PCM that can be read: all of it when sealed, the whole segments when a crash left it open.</summary>
    public long PcmLength { get; }

    public TimeSpan Duration => Format.DurationOf(PcmLength);

    /// <summary>False for a file its writer never completed (see <see cref="SealedAudio.Recover"/>).</summary>
    public bool IsSealed { get; }

    /// <exception cref="SealedAudioException">Not a sealed file, the wrong key, or a damaged first or last segment.</exception>
    public static SealedAudioReader Open(string path, ReadOnlySpan<byte> dataKey)
    {
        SealedAudioLayout.CheckKey(dataKey);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var layout = SealedAudioLayout.Read(file);
        using var aes = new AesGcm(dataKey, SealedAudioLayout.TagLength);
        var (full, tail) = layout.Split(file.Length);
        var record = new byte[layout.RecordLength];
        var plain = new byte[layout.SegmentLength];
        try
        {
            var isSealed = tail > 0 && TryOpenAt(file, layout, aes, full, tail, final: true, record, plain);
            if (full > 0 && !TryOpenAt(file, layout, aes, 0, layout.RecordLength, final: false, record, plain))
            {
                throw new SealedAudioException("The sealed audio does not open with this key: the key is wrong or the file was altered.");
            }

            if (tail > 0 && !isSealed && full == 0)
            {
                throw new SealedAudioException("The sealed audio does not open with this key: the key is wrong or the file was altered.");
            }

            var pcm = full * layout.SegmentLength + (isSealed ? tail - SealedAudioLayout.TagLength : 0);
            return new SealedAudioReader(path, dataKey.ToArray(), layout, full, isSealed, pcm);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>
    /// A seekable stream of the audio as a WAV file (44-byte header, then PCM), decrypted as it is read; it has its own
    /// file handle and may outlive this reader.
    /// </summary>
    public Stream OpenWav() => new SealedAudioStream(_path, _key, _layout, _fullSegments, IsSealed, PcmLength, wavHeader: true);

    /// <summary>The same audio as raw PCM, without a header.</summary>
    public Stream OpenPcm() => new SealedAudioStream(_path, _key, _layout, _fullSegments, IsSealed, PcmLength, wavHeader: false);

    /// <summary>The SHA-256 of the PCM, authenticating every segment on the way (the hash rows and manifests record).</summary>
    /// <exception cref="SealedAudioException">A segment fails authentication.</exception>
    public string ComputeSha256Hex()
    {
        using var pcm = OpenPcm();
        return Convert.ToHexStringLower(SHA256.HashData(pcm));
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);

    internal static bool TryOpenAt(FileStream file, SealedAudioLayout layout, AesGcm aes, long index, int length, bool final, byte[] record, byte[] plain)
    {
        file.Position = SealedAudioLayout.HeaderLength + index * layout.RecordLength;
        var span = record.AsSpan(0, length);
        return file.ReadAtLeast(span, length, throwOnEndOfStream: false) == length && layout.TryOpen(aes, index, final, span, plain);
    }
}
