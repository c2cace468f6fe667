using HostedPbx.Data.Entities;
using HostedPbx.Data.Recordings;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Media.Rtp;

namespace HostedPbx.Switch.Calls.Recording;

/// <summary>
/// The recording side of one bridged call whose policy records or may record: the bridge's tap, which hands audio to the
/// current <see cref="CallRecording"/> (if any) and watches both sides' RFC 4733 events for the feature codes, and the
/// one place that starts, stops, pauses and resumes that call's recordings (codes, SIP INFO, the API, the call's end).
/// On the relay thread a packet costs one payload-type test; only a telephone event is read further, without allocating,
/// and events are never recorded (so no digit keyed during a pause is stored).
/// </summary>
internal sealed class RecordedCall : IMediaTap
{
    private readonly Lock _gate = new();
    private readonly TelephoneEventReceiver _eventsA = new();
    private readonly TelephoneEventReceiver _eventsB = new();
    private readonly FeatureCodeMatcher _codesA;
    private readonly FeatureCodeMatcher _codesB;
    private readonly FeatureCodeMatcher _infoA;
    private readonly FeatureCodeMatcher _infoB;
    private readonly string _callId;
    private readonly Func<bool, string> _party;
    private readonly Func<CallRecording> _start;
    private readonly Action<CallRecording> _stop;
    private readonly ILogger _logger;
    private CallRecording? _current;
    private bool _ended;
    private int _recordings;

    /// <param name="verdict">The policy decided when the parties were bridged.</param>
    /// <param name="callId">The call's SIP Call-ID, for logs.</param>
    /// <param name="party">The extension of the caller's side (true) or the callee's (false), as it is now.</param>
    /// <param name="start">Starts a recording of the call from this moment (file, key, row).</param>
    /// <param name="stop">Ends a recording: the writer closes its file and the store writes its manifest.</param>
    /// <param name="logger">Where ignored codes and on-demand stops are told.</param>
    /// <param name="codes">The tenant's start/stop and pause/resume codes; <c>*1</c> and <c>*2</c> when not given.</param>
    public RecordedCall(
        RecordingVerdict verdict, string callId, Func<bool, string> party, Func<CallRecording> start, Action<CallRecording> stop, ILogger logger,
        RecordingFeatureCodes? codes = null)
    {
        codes ??= RecordingFeatureCodes.Default;
        _codesA = new FeatureCodeMatcher(codes.StartStop, codes.PauseResume);
        _codesB = new FeatureCodeMatcher(codes.StartStop, codes.PauseResume);
        _infoA = new FeatureCodeMatcher(codes.StartStop, codes.PauseResume);
        _infoB = new FeatureCodeMatcher(codes.StartStop, codes.PauseResume);
        Verdict = verdict;
        _callId = callId;
        _party = party;
        _start = start;
        _stop = stop;
        _logger = logger;
    }

    public RecordingVerdict Verdict { get; }

    /// <summary>The recording running now, or null (on demand and not started, or stopped).</summary>
    public CallRecording? Current => Volatile.Read(ref _current);

    /// <summary>True once any recording of the call started (the call record and its statement say "recorded").</summary>
    public bool WasRecorded => Volatile.Read(ref _recordings) > 0;

    /// <summary>The relay thread: audio to the recording, telephone events to the feature codes.</summary>
    public void OnAudio(bool fromA, ReadOnlySpan<byte> plainRtp)
    {
        // RFC 3550 §5.1: the payload type is the low 7 bits of the second octet. RFC 3551 §6: 96-127 are dynamic, where
        // telephone-event (RFC 4733 §7.1.1) is negotiated; G.711 (0 and 8) is recorded.
        if (plainRtp.Length > 1 && (plainRtp[1] & 0x7F) >= 96)
        {
            OnEvent(fromA, plainRtp);
            return;
        }

        Volatile.Read(ref _current)?.OnAudio(fromA, plainRtp);
    }

    /// <summary>A digit from a SIP INFO (application/dtmf-relay) of the caller's side (true) or the callee's.</summary>
    public void OnDigit(bool fromCaller, char digit) => Apply((fromCaller ? _infoA : _infoB).Add(digit), fromCaller);

    /// <summary>Starts recording now (the policy records from the bridge).</summary>
    public void StartNow()
    {
        lock (_gate)
        {
            if (!_ended && _current is null)
            {
                Begin();
            }
        }
    }

    /// <summary>
    /// Starts an on-demand recording (the start/stop code when nothing records, or the API's start); false, and logged,
    /// when the policy is not on demand, the call ended, or a recording is already running.
    /// </summary>
    public bool StartOnDemand(string by)
    {
        lock (_gate)
        {
            if ((OnDemandRefusal() ?? (_current is null ? null : "it is already being recorded")) is { } refusal)
            {
                SwitchLog.RecordingCodeIgnored(_logger, _callId, "start", by, refusal);
                return false;
            }

            Begin();
            return true;
        }
    }

    /// <summary>
    /// Stops an on-demand recording (the start/stop code while recording, or the API's stop): the writer closes its file
    /// and the store writes its manifest. False, and logged, when the policy is not on demand, the call ended, or nothing records.
    /// </summary>
    public bool StopOnDemand(string by)
    {
        lock (_gate)
        {
            if ((OnDemandRefusal() ?? (_current is null ? "nothing is being recorded" : null)) is { } refusal)
            {
                SwitchLog.RecordingCodeIgnored(_logger, _callId, "stop", by, refusal);
                return false;
            }

            var recording = _current!;
            Volatile.Write(ref _current, null);
            _stop(recording);
            SwitchLog.RecordingStoppedOnDemand(_logger, recording.Facts.RecordingId, by);
            return true;
        }
    }

    /// <summary>A PCI pause (the API or <c>*2</c>); false when nothing records or it is already paused.</summary>
    public bool Pause(string by)
    {
        lock (_gate)
        {
            return _current is { } recording && recording.Pause(by);
        }
    }

    /// <summary>Ends a PCI pause; false when nothing records or it was not paused.</summary>
    public bool Resume()
    {
        lock (_gate)
        {
            return _current is { } recording && recording.Resume();
        }
    }

    /// <summary>The call ended: the recording running, if any, is closed; no code starts another.</summary>
    public void End()
    {
        lock (_gate)
        {
            _ended = true;
            if (_current is { } recording)
            {
                Volatile.Write(ref _current, null);
                _stop(recording);
            }
        }
    }

    private void OnEvent(bool fromA, ReadOnlySpan<byte> packet)
    {
        if (!RtpHeader.TryRead(packet, out var header))
        {
            return;
        }

        // RFC 4733 §2.5.1.1: every packet of one event carries its start's timestamp; the receiver reports each event once.
        if ((fromA ? _eventsA : _eventsB).Receive(header.Timestamp, packet[header.Length..]) is { } digit)
        {
            Apply((fromA ? _codesA : _codesB).Add(digit), fromA);
        }
    }

    private void Apply(RecordingFeature feature, bool fromCaller)
    {
        switch (feature)
        {
            case RecordingFeature.None:
                return;
            case RecordingFeature.StartStop:
                StartOrStop(_party(fromCaller));
                return;
            case RecordingFeature.PauseResume:
                PauseOrResume(_party(fromCaller));
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(feature), feature, null);
        }
    }

    // The start/stop code toggles: one decision under the lock, then the same path the API's start and stop take.
    private void StartOrStop(string by)
    {
        lock (_gate)
        {
            _ = _current is null ? StartOnDemand(by) : StopOnDemand(by);
        }
    }

    private void PauseOrResume(string by)
    {
        lock (_gate)
        {
            if (_current is not { } recording)
            {
                SwitchLog.RecordingCodeIgnored(_logger, _callId, "pause/resume", by, "nothing is being recorded");
                return;
            }

            _ = recording.IsPaused ? recording.Resume() : recording.Pause(by);
            SwitchLog.RecordingPaused(_logger, recording.Facts.RecordingId, recording.IsPaused ? "paused" : "resumed", by);
        }
    }

    private string? OnDemandRefusal() =>
        Verdict.Mode != RecordingMode.OnDemand ? $"the policy is {Verdict.Mode}, not on demand" : _ended ? "the call ended" : null;

    private void Begin()
    {
        var recording = _start();
        Interlocked.Increment(ref _recordings);
        Volatile.Write(ref _current, recording);
    }
}
