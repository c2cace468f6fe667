using System.Security.Cryptography;

namespace HostedPbx.Data.Media;

/// <summary>
/// Keys for sealed audio files, and the completion of a file that a crash left open (DESIGN "Recordings and voicemail":
/// a crash loses at most the last segment).
/// </summary>
public static class SealedAudio
{
    /// <summary>A fresh data key for one file; wrap it with the master key and zero it once written.</summary>
    public static byte[] NewDataKey() => RandomNumberGenerator.GetBytes(SealedAudioLayout.KeyLength);

    /// <summary>
    /// Completes a file whose writer died: keeps every whole segment that authenticates, in order, cuts the rest and
    /// writes the final segment. A file that is already sealed is left as it is. Only for files the platform itself left
    /// unfinished (a row still marked as being written): it cuts anything after the last good segment.
    /// </summary>
    /// <exception cref="SealedAudioException">Not a sealed audio file, or no segment opens with this key.</exception>
    public static SealedAudioSummary Recover(string path, ReadOnlySpan<byte> dataKey)
    {
        SealedAudioLayout.CheckKey(dataKey);
        bool cut;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read))
        {
            var layout = SealedAudioLayout.Read(file);
            using var aes = new AesGcm(dataKey, SealedAudioLayout.TagLength);
            var (full, tail) = layout.Split(file.Length);
            var record = new byte[layout.RecordLength];
            var plain = new byte[layout.SegmentLength];
            try
            {
                cut = !(tail > 0 && SealedAudioReader.TryOpenAt(file, layout, aes, full, tail, final: true, record, plain));
                if (cut)
                {
                    var good = 0L;
                    while (good < full && SealedAudioReader.TryOpenAt(file, layout, aes, good, layout.RecordLength, final: false, record, plain))
                    {
                        good++;
                    }

                    if (good == 0 && full > 0)
                    {
                        throw new SealedAudioException("No segment of the sealed audio opens with this key: the key is wrong or the file is not this one.");
                    }

                    file.SetLength(SealedAudioLayout.HeaderLength + good * layout.RecordLength);
                    file.Position = file.Length;
                    layout.Seal(aes, good, final: true, [], record);
                    file.Write(record, 0, SealedAudioLayout.TagLength);
                    file.Flush(flushToDisk: true);
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(plain);
            }
        }

        using var reader = SealedAudioReader.Open(path, dataKey);
        return new SealedAudioSummary(reader.Duration, reader.ComputeSha256Hex(), new FileInfo(path).Length, cut);
    }
}
