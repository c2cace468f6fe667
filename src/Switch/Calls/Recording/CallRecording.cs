using System.Security.Cryptography;
using HostedPbx.Data.Media;
using HostedPbx.Data.Recordings;
using HostedPbx.Switch.Calls.Applications;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Media.Rtp;

namespace HostedPbx.Switch.Calls.Recording;

/// <summary>
/// One call being recorded. The relay thread sees it as the bridge's <see cref="IMediaTap"/> and only copies packets into
/// its ring; the recorder's writer thread pumps the ring: decodes G.711, places both sides on one timeline, and writes
/// the stereo sealed file (caller left, callee right). A PCI pause stops the copying, so nothing said (or keyed, RFC
/// 4733 events are never kept) during it reaches the ring; the timeline keeps its length as silence.
/// </summary>
internal sealed class CallRecording : IMediaTap
{
    private const int SampleRate = 8000;
    private const int RingPackets = 1024;
    private const int TimelineSeconds = 10;

    /// <summary>How long the writer waits for a late side before writing silence for it.</summary>
    private static readonly long s_jitterSamples = SampleRate / 2;

    private readonly MediaRing _ring;
    private readonly StereoTimeline _timeline = new(TimelineSeconds);
    private readonly byte[] _pcm = new byte[SampleRate * 4];
    private readonly short[] _samples = new short[MediaRing.SlotSize];
    private readonly Lock _gate = new();
    private readonly List<RecordingPause> _pauses = [];
    private readonly TimeProvider _time;
    private readonly long _started;
    private byte[]? _dataKey;
    private SealedAudioWriter? _writer;
    private volatile bool _paused;
    private volatile bool _stopping;
    private TimeSpan _pausedAt;
    private TimeSpan? _pausedInFile;
    private string? _pausedBy;
    private int? _resumedPause;

    public CallRecording(RecordingFacts facts, byte[] dataKey, string path, TimeProvider time)
    {
        _time = time;
        _ring = new MediaRing(RingPackets, time);
        _started = time.GetTimestamp();
        Facts = facts;
        _dataKey = dataKey;
        Path = path;
    }

    public RecordingFacts Facts { get; }

    /// <summary>Where the sealed file is written.</summary>
    public string Path { get; }

    public bool IsPaused => _paused;

    public bool IsStopping => _stopping;

    public DateTimeOffset? EndedAt { get; private set; }

    /// <summary>Audio the writer could not keep (ring overflow, late packets), in milliseconds; kept as silence.</summary>
    public long DroppedMs => (_ring.Dropped * 20) + (_timeline.Discarded * 1000 / SampleRate);

    /// <summary>True once a packet was dropped because the writer fell behind (the recorder alerts once).</summary>
    public bool FellBehind => _ring.Dropped > 0;

    public IReadOnlyList<RecordingPause> Pauses
    {
        get
        {
            lock (_gate)
            {
                return [.. _pauses];
            }
        }
    }

    /// <summary>The relay thread: copy, nothing more.</summary>
    public void OnAudio(bool fromA, ReadOnlySpan<byte> plainRtp)
    {
        if (!_paused && !_stopping)
        {
            _ring.Put(fromA, plainRtp);
        }
    }

    /// <summary>Starts a PCI pause; false when it is already paused or over.</summary>
    public bool Pause(string by)
    {
        lock (_gate)
        {
            if (_paused || _stopping)
            {
                return false;
            }

            _paused = true;
            _pausedAt = Elapsed();
            _pausedInFile = null;
            _pausedBy = by;
            return true;
        }
    }

    /// <summary>Ends a PCI pause; false when it was not paused.</summary>
    public bool Resume()
    {
        lock (_gate)
        {
            if (!_paused)
            {
                return false;
            }

            // Where the pause started in the file is known: its end in the file is where the first audio after it lands.
            _resumedPause = _pausedInFile is null ? null : _pauses.Count;
            _pauses.Add(PauseNow());
            _paused = false;
            return true;
        }
    }

    /// <summary>The call ended; the writer thread finishes the file.</summary>
    public void Stop(DateTimeOffset endedAt)
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            if (_paused)
            {
                _pauses.Add(PauseNow());
                _paused = false;
            }

            EndedAt = endedAt;
            _stopping = true;
        }
    }

    /// <summary>
    /// The writer thread: drains the ring onto the timeline and writes what is settled (everything when
    /// <paramref name="final"/>). Creates the file on first use, so no disk work happens on the signalling path.
    /// </summary>
    public void Pump(bool final)
    {
        if (_writer is null)
        {
            _writer = SealedAudioWriter.Create(Path, _dataKey!, AudioFormat.Stereo8k);
            CryptographicOperations.ZeroMemory(_dataKey);
            _dataKey = null;
        }

        int? resumed;
        lock (_gate)
        {
            resumed = _resumedPause;
        }

        var firstPlaced = long.MaxValue;
        while (_ring.TryPeek(out var fromA, out var arrived, out var packet))
        {
            var at = Place(fromA, arrived, packet);
            if (at >= 0)
            {
                firstPlaced = Math.Min(firstPlaced, at);
            }

            _ring.Release();
        }

        lock (_gate)
        {
            // The switch's clock measured the pause; the sender's RTP clock places what follows it, and the two differ by
            // however late the sender's packets were on either side. The file's gap ends where its next audio begins.
            if (resumed is { } index && firstPlaced != long.MaxValue)
            {
                var pause = _pauses[index];
                var end = TimeSpan.FromSeconds((double)firstPlaced / SampleRate);
                _pauses[index] = pause with { End = end > pause.Start ? end : pause.Start };
                _resumedPause = null;
            }

            // The pause starts in the file where the last audio taken before it ends: the timeline places packets by
            // their RTP timestamps, whose clock may run ahead of the switch's by a late first packet's delay.
            if (_paused && _pausedInFile is null)
            {
                _pausedInFile = TimeSpan.FromSeconds((double)_timeline.End / SampleRate);
            }
        }

        var settled = (long)(Elapsed().TotalSeconds * SampleRate) - s_jitterSamples;
        int taken;
        while ((taken = _timeline.Take(_pcm, settled, final)) > 0)
        {
            _writer.Write(_pcm.AsSpan(0, taken));
        }
    }

    /// <summary>The writer thread, after the last <see cref="Pump"/>: seals the file.</summary>
    public SealedAudioSummary Complete()
    {
        var summary = _writer!.Complete();
        _writer.Dispose();
        return summary;
    }

    /// <summary>The writer thread, when writing failed: closes the file as it is (recovery can still seal it).</summary>
    public void Abandon()
    {
        _writer?.Dispose();
        if (_dataKey is not null)
        {
            CryptographicOperations.ZeroMemory(_dataKey);
        }
    }

    // Returns where the packet's audio starts on the timeline, or -1 when it is not audio kept.
    private long Place(bool fromA, long arrived, ReadOnlySpan<byte> packet)
    {
        if (!RtpHeader.TryRead(packet, out var header))
        {
            return -1;
        }

        var payload = packet[header.Length..];
        if (header.HasPadding && payload.Length > 0)
        {
            // RFC 3550 §5.1: the last octet of the padding counts the padding octets.
            payload = payload[..Math.Max(0, payload.Length - payload[^1])];
        }

        // RFC 3551 §6: payload types 0 (PCMU) and 8 (PCMA); RFC 4733 events and comfort noise are not audio to keep.
        var count = Math.Min(payload.Length, _samples.Length);
        switch (header.PayloadType)
        {
            case 0:
                for (var i = 0; i < count; i++)
                {
                    _samples[i] = G711.DecodeMuLaw(payload[i]);
                }

                break;
            case 8:
                for (var i = 0; i < count; i++)
                {
                    _samples[i] = G711.DecodeALaw(payload[i]);
                }

                break;
            default:
                return -1;
        }

        var sinceStart = (arrived - _started) * SampleRate / _time.TimestampFrequency;
        return _timeline.Place(fromA, header.Ssrc, header.Timestamp, sinceStart, _samples.AsSpan(0, count));
    }

    private TimeSpan Elapsed() => _time.GetElapsedTime(_started);

    // A pause as the file has it (under the gate): from where its audio stopped, for as long as it lasted; before the
    // writer has placed what came before it, the switch's own clock is all there is.
    private RecordingPause PauseNow()
    {
        var start = _pausedInFile ?? _pausedAt;
        return new RecordingPause(start, start + (Elapsed() - _pausedAt), _pausedBy!);
    }
}
