using System.Buffers.Binary;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Media;
using HostedPbx.Data.Recordings;
using HostedPbx.Switch.Calls.Applications;
using HostedPbx.Switch.Calls.Recording;
using HostedPbx.Switch.Media.Rtp;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Switch.Tests.Recordings;

/// <summary>
/// One bridged call's recording side driven packet by packet on fake time: the caller (201, side A) and the callee
/// (202, side B) each send 20 ms of G.711 µ-law or RFC 4733 events (payload type 101) through the tap, and every
/// recording it starts is a real sealed file in a temporary folder, pumped as the writer thread would.
/// </summary>
internal sealed class RecordedCallScene : IDisposable
{
    public const int TelephoneEventType = 101;

    private const int SamplesPerPacket = 160;
    private const int Rate = 8;

    private readonly string _folder = Directory.CreateTempSubdirectory("recorded-call-").FullName;
    private readonly List<(CallRecording Recording, byte[] Key)> _recordings = [];
    private readonly Side _a = new(0x1111_0001);
    private readonly Side _b = new(0x2222_0002);

    /// <param name="mode">The policy of the call.</param>
    /// <param name="codes">The tenant's in-call codes; <c>*1</c> and <c>*2</c> when not given.</param>
    public RecordedCallScene(RecordingMode mode, RecordingFeatureCodes? codes = null)
    {
        var verdict = new RecordingVerdict(Guid.CreateVersion7(), $"{mode} policy", mode, mode == RecordingMode.Always, false);
        Call = new RecordedCall(verdict, "scene-call", fromCaller => fromCaller ? "201" : "202", Start, Stop, NullLogger.Instance, codes);
        if (verdict.RecordNow)
        {
            Call.StartNow();
        }
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));

    public RecordedCall Call { get; }

    public IReadOnlyList<CallRecording> Recordings => [.. _recordings.Select(r => r.Recording)];

    /// <summary>Both sides talk for <paramref name="milliseconds"/>: the caller a 1 kHz square wave, the callee a 500 Hz one.</summary>
    public void Talk(int milliseconds)
    {
        for (var elapsed = 0; elapsed < milliseconds; elapsed += 20)
        {
            Send(fromA: true, Audio(_a, period: 8));
            Send(fromA: false, Audio(_b, period: 16));
            Step();
        }
    }

    /// <summary>
    /// Neither side sends for <paramref name="milliseconds"/> of the switch's time, while the phones' RTP clocks move on by
    /// <paramref name="rtpMilliseconds"/> (less when a phone's packets come later after the gap than before it).
    /// </summary>
    public void Quiet(int milliseconds, int rtpMilliseconds)
    {
        for (var elapsed = 0; elapsed < milliseconds; elapsed += 20)
        {
            Step();
        }

        _a.Timestamp += (uint)(rtpMilliseconds * Rate);
        _b.Timestamp += (uint)(rtpMilliseconds * Rate);
    }

    /// <summary>A party keys <paramref name="digits"/> as RFC 4733 events (three packets each, the last its end), the other side silent.</summary>
    public void Key(bool fromCaller, string digits)
    {
        var (side, other) = fromCaller ? (_a, _b) : (_b, _a);
        foreach (var digit in digits)
        {
            var start = side.Timestamp;
            for (var i = 0; i < 3; i++)
            {
                Send(fromCaller, Event(side, start, digit, end: i == 2, duration: (ushort)((i + 1) * SamplesPerPacket)));
                other.Timestamp += SamplesPerPacket;
                Step();
            }
        }
    }

    /// <summary>Ends the call and returns each recording's stereo PCM (caller left, callee right), decrypted.</summary>
    public IReadOnlyList<short[]> End()
    {
        Call.End();
        return [.. _recordings.Select(r => Read(r.Recording, r.Key))];
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static short[] Read(CallRecording recording, byte[] key)
    {
        using var reader = SealedAudioReader.Open(recording.Path, key);
        using var pcm = reader.OpenPcm();
        using var copy = new MemoryStream();
        pcm.CopyTo(copy);
        var bytes = copy.ToArray();
        var samples = new short[bytes.Length / 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(i * 2));
        }

        return samples;
    }

    private CallRecording Start()
    {
        var id = Guid.CreateVersion7();
        var facts = new RecordingFacts(id, Guid.CreateVersion7(), Guid.CreateVersion7(), "201", "202", Time.GetUtcNow(), Call?.Verdict ?? RecordingVerdict.None, $"{id:D}.sealed");
        var key = SealedAudio.NewDataKey();
        var recording = new CallRecording(facts, (byte[])key.Clone(), Path.Combine(_folder, facts.StoragePath), Time);
        _recordings.Add((recording, key));
        return recording;
    }

    private void Stop(CallRecording recording)
    {
        recording.Stop(Time.GetUtcNow());
        recording.Pump(final: true);
        recording.Complete();
    }

    private void Send(bool fromA, byte[] packet) => Call.OnAudio(fromA, packet);

    // 20 ms go by; the writer thread's pass over every recording still running.
    private void Step()
    {
        Time.Advance(TimeSpan.FromMilliseconds(20));
        foreach (var (recording, _) in _recordings)
        {
            if (!recording.IsStopping)
            {
                recording.Pump(final: false);
            }
        }
    }

    private static byte[] Audio(Side side, int period)
    {
        var packet = Header(side, payloadType: 0, side.Timestamp, SamplesPerPacket);
        for (var i = 0; i < SamplesPerPacket; i++)
        {
            packet[RtpHeader.FixedLength + i] = G711.EncodeMuLaw((short)(i % period < period / 2 ? 8000 : -8000));
        }

        side.Timestamp += SamplesPerPacket;
        return packet;
    }

    private static byte[] Event(Side side, uint start, char digit, bool end, ushort duration)
    {
        var packet = Header(side, TelephoneEventType, start, TelephoneEvent.Length);
        new TelephoneEvent(TelephoneEvent.CodeOf(digit)!.Value, end, 10, duration).Write(packet.AsSpan(RtpHeader.FixedLength));
        side.Timestamp += SamplesPerPacket;
        return packet;
    }

    private static byte[] Header(Side side, int payloadType, uint timestamp, int payloadLength)
    {
        var packet = new byte[RtpHeader.FixedLength + payloadLength];
        packet[0] = 0x80;
        packet[1] = (byte)payloadType;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), side.Sequence++);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), side.Ssrc);
        return packet;
    }

    private sealed class Side(uint ssrc)
    {
        public uint Ssrc { get; } = ssrc;

        public ushort Sequence { get; set; }

        public uint Timestamp { get; set; } = 4000;
    }
}
