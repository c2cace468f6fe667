using System.Buffers.Binary;
using System.Security.Cryptography;
using HostedPbx.Data.Media;

namespace HostedPbx.Data.Tests.Media;

public sealed class SealedAudioTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sealed-audio-").FullName;
    private readonly byte[] _key = SealedAudio.NewDataKey();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Complete_ThenOpen_PlaysBackTheSameAudioAsWav()
    {
        var pcm = Tone(AudioFormat.Mono8k, TimeSpan.FromSeconds(2.5));
        var path = Write(pcm, AudioFormat.Mono8k, complete: true, out var written);
        var summary = Assert.IsType<SealedAudioSummary>(written);

        using var reader = SealedAudioReader.Open(path, _key);
        using var wav = reader.OpenWav();
        var bytes = ReadAll(wav);

        Assert.True(reader.IsSealed);
        Assert.Equal(TimeSpan.FromSeconds(2.5), summary.Duration);
        Assert.False(summary.CutShort);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(pcm)), summary.Sha256Hex);
        Assert.Equal(summary.Sha256Hex, reader.ComputeSha256Hex());
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal(8000, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(24)));
        Assert.Equal(pcm.Length, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(40)));
        Assert.Equal(pcm, bytes[44..]);
    }

    [Fact]
    public void File_OnDisk_HoldsNoneOfTheAudio()
    {
        var pcm = Tone(AudioFormat.Stereo8k, TimeSpan.FromSeconds(1.2));
        var path = Write(pcm, AudioFormat.Stereo8k, complete: true, out _);
        var disk = File.ReadAllBytes(path);

        for (var offset = 0; offset + 32 <= pcm.Length; offset += 4000)
        {
            Assert.True(disk.AsSpan().IndexOf(pcm.AsSpan(offset, 32)) < 0, $"plain audio at {offset} is on disk");
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Open_WithAnotherKey_IsRefused()
    {
        var path = Write(Tone(AudioFormat.Mono8k, TimeSpan.FromSeconds(1.5)), AudioFormat.Mono8k, complete: true, out _);
        Assert.Throws<SealedAudioException>(() => SealedAudioReader.Open(path, SealedAudio.NewDataKey()));
    }

    [Fact]
    public void Open_OfAFileThatIsNotSealedAudio_IsRefused()
    {
        var path = Path.Combine(_folder, "plain.wav");
        File.WriteAllBytes(path, new byte[5000]);
        Assert.Throws<SealedAudioException>(() => SealedAudioReader.Open(path, _key));
    }

    [Fact]
    public void Crash_MidWrite_LosesOnlyTheUnfinishedSecond_AndRecoverSealsTheRest()
    {
        var pcm = Tone(AudioFormat.Mono8k, TimeSpan.FromSeconds(3.6));
        var path = Write(pcm, AudioFormat.Mono8k, complete: false, out _);

        using (var open = SealedAudioReader.Open(path, _key))
        {
            Assert.False(open.IsSealed);
            Assert.Equal(TimeSpan.FromSeconds(3), open.Duration);
        }

        var recovered = SealedAudio.Recover(path, _key);
        using var reader = SealedAudioReader.Open(path, _key);
        using var audio = reader.OpenPcm();

        Assert.True(recovered.CutShort);
        Assert.True(reader.IsSealed);
        Assert.Equal(TimeSpan.FromSeconds(3), recovered.Duration);
        Assert.Equal(pcm[..48000], ReadAll(audio));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(pcm.AsSpan(0, 48000))), recovered.Sha256Hex);
        Assert.False(SealedAudio.Recover(path, _key).CutShort);
    }

    [Fact]
    public void Recover_OfAFileCutInsideASegment_KeepsTheWholeSegmentsBeforeIt()
    {
        var pcm = Tone(AudioFormat.Mono8k, TimeSpan.FromSeconds(2.5));
        var path = Write(pcm, AudioFormat.Mono8k, complete: true, out _);
        using (var file = new FileStream(path, FileMode.Open))
        {
            file.SetLength(32 + (16000 + 16) + 5000);
        }

        var recovered = SealedAudio.Recover(path, _key);

        Assert.True(recovered.CutShort);
        Assert.Equal(TimeSpan.FromSeconds(1), recovered.Duration);
    }

    [Fact]
    public void Sealed_FileWithItsEndCutOff_IsNotTakenForAShorterWhole()
    {
        var path = Write(Tone(AudioFormat.Mono8k, TimeSpan.FromSeconds(2.5)), AudioFormat.Mono8k, complete: true, out _);
        using (var file = new FileStream(path, FileMode.Open))
        {
            file.SetLength(file.Length - 100);
        }

        using var reader = SealedAudioReader.Open(path, _key);
        Assert.False(reader.IsSealed);
        Assert.Equal(TimeSpan.FromSeconds(2), reader.Duration);
    }

    [Fact]
    public void AlteredByte_InTheMiddle_FailsWhenReadAndWhenHashed()
    {
        var path = Write(Tone(AudioFormat.Mono8k, TimeSpan.FromSeconds(3.5)), AudioFormat.Mono8k, complete: true, out _);
        using (var file = new FileStream(path, FileMode.Open))
        {
            file.Position = 32 + (16000 + 16) + 700;
            var b = file.ReadByte();
            file.Position--;
            file.WriteByte((byte)(b ^ 0x01));
        }

        using var reader = SealedAudioReader.Open(path, _key);
        using var wav = reader.OpenWav();
        var head = new byte[44 + 16000];
        wav.ReadExactly(head);
        Assert.Throws<SealedAudioException>(() => wav.ReadByte());
        Assert.Throws<SealedAudioException>(() => reader.ComputeSha256Hex());
    }

    [Fact]
    public void Segments_SwappedInPlace_FailAuthentication()
    {
        var path = Write(Tone(AudioFormat.Mono8k, TimeSpan.FromSeconds(3.5)), AudioFormat.Mono8k, complete: true, out _);
        var disk = File.ReadAllBytes(path);
        var first = disk.AsSpan(32 + 16016, 16016).ToArray();
        disk.AsSpan(32 + 2 * 16016, 16016).CopyTo(disk.AsSpan(32 + 16016));
        first.CopyTo(disk.AsSpan(32 + 2 * 16016));
        File.WriteAllBytes(path, disk);

        using var reader = SealedAudioReader.Open(path, _key);
        Assert.Throws<SealedAudioException>(() => reader.ComputeSha256Hex());
    }

    [Fact]
    public void Seek_IntoALaterSegment_ReadsTheAudioThere()
    {
        var pcm = Tone(AudioFormat.Mono8k, TimeSpan.FromSeconds(3.2));
        var path = Write(pcm, AudioFormat.Mono8k, complete: true, out _);
        using var reader = SealedAudioReader.Open(path, _key);
        using var wav = reader.OpenWav();

        wav.Position = 44 + 31990;
        var range = new byte[20];
        wav.ReadExactly(range);

        Assert.Equal(pcm.AsSpan(31990, 20).ToArray(), range);
        Assert.Equal(44 + pcm.Length, wav.Length);
    }

    [Fact]
    public void WriteSilence_KeepsTheTimeline()
    {
        var path = Path.Combine(_folder, "pause.pcm.sealed");
        SealedAudioSummary summary;
        using (var writer = SealedAudioWriter.Create(path, _key, AudioFormat.Stereo8k))
        {
            writer.Write(Tone(AudioFormat.Stereo8k, TimeSpan.FromSeconds(1)));
            writer.WriteSilence(TimeSpan.FromMilliseconds(1500));
            summary = writer.Complete();
        }

        using var reader = SealedAudioReader.Open(path, _key);
        using var pcm = reader.OpenPcm();
        var all = ReadAll(pcm);

        Assert.Equal(TimeSpan.FromMilliseconds(2500), summary.Duration);
        Assert.True(all.AsSpan(32000).IndexOfAnyExcept((byte)0) < 0);
    }

    [Fact]
    public void Create_OverAnExistingFile_IsRefusedAndLeavesItAlone()
    {
        var path = Write(Tone(AudioFormat.Mono8k, TimeSpan.FromSeconds(1)), AudioFormat.Mono8k, complete: true, out _);
        var before = File.ReadAllBytes(path);

        Assert.Throws<IOException>(() => SealedAudioWriter.Create(path, _key, AudioFormat.Mono8k));
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    private string Write(byte[] pcm, AudioFormat format, bool complete, out SealedAudioSummary? summary)
    {
        var path = Path.Combine(_folder, "sub", $"{Guid.NewGuid():N}.sealed");
        summary = null;
        using var writer = SealedAudioWriter.Create(path, _key, format);
        // Arrives as the relay would hand it over: 20 ms at a time.
        var packet = format.BytesPerSecond / 50;
        for (var offset = 0; offset < pcm.Length; offset += packet)
        {
            writer.Write(pcm.AsSpan(offset, Math.Min(packet, pcm.Length - offset)));
        }

        if (complete)
        {
            summary = writer.Complete();
        }

        return path;
    }

    private static byte[] Tone(AudioFormat format, TimeSpan length)
    {
        var frames = (int)(length.TotalSeconds * format.SampleRate);
        var pcm = new byte[frames * format.BytesPerFrame];
        for (var i = 0; i < frames; i++)
        {
            for (var c = 0; c < format.Channels; c++)
            {
                var value = (short)(12000 * Math.Sin(2 * Math.PI * (440 + 560 * c) * i / format.SampleRate));
                BinaryPrimitives.WriteInt16LittleEndian(pcm.AsSpan((i * format.Channels + c) * 2), value);
            }
        }

        return pcm;
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
