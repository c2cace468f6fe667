using System.Security.Cryptography;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Media;
using HostedPbx.Data.Recordings;
using HostedPbx.Switch.Calls.Applications;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Media.Sdp;

namespace HostedPbx.Switch.Calls.Recording;

/// <summary>
/// Decides, when a call's parties are bridged, whether it is recorded (the policy in force, <see cref="RecordingDecision"/>),
/// and if it records now or on demand sets the call's <see cref="RecordedCall"/> as the bridge's tap; recordings start
/// then or at the <c>*1</c> code, each with a fresh data key, its row, and its file on the writer thread.
/// </summary>
internal sealed class CallRecorder : IDisposable
{
    private readonly KeyProtector _protector;
    private readonly string _directory;
    private readonly RecordingStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RecordingWriterThread _writer;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, RecordedCall> _byCall = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, RecordingAnnouncement> _announcing = new();
    private RecordingPolicyBook _policies = RecordingPolicyBook.Empty;

    public CallRecorder(KeyProtector protector, string directory, RecordingStore store, TimeProvider time, ILogger logger)
    {
        _protector = protector;
        _directory = directory;
        _store = store;
        _time = time;
        _logger = logger;
        _writer = new RecordingWriterThread(Completed, Failed, logger);
    }

    public RecordingPolicyBook Policies
    {
        get => Volatile.Read(ref _policies);
        set => Volatile.Write(ref _policies, value);
    }

    /// <summary>Where the announcement's prompt comes from; without it (or its prompt) no announcement is played.</summary>
    public PromptLibrary? Prompts { get; set; }

    /// <summary>Which policy applies to a call whose callee just answered (stored with the call).</summary>
    public RecordingVerdict Decide(Call call)
    {
        ArgumentNullException.ThrowIfNull(call);
        // A call through the telephone network, either way, is an external call (issue 11), under its trunk's policy if it has one.
        var trunkLeg = call.Caller as Trunks.TrunkLeg ?? call.Callee as Trunks.TrunkLeg;
        return Policies.Decide(call.TenantId, call.Caller.Party, call.Callee!.Party, external: trunkLeg is not null, trunkLeg?.Trunk?.Id);
    }

    /// <summary>
    /// Plays the recording announcement to both parties when <paramref name="verdict"/> asks for it and its prompt is
    /// there; the task completes when both have heard it. Null when there is nothing to announce: bridge at once.
    /// </summary>
    public Task? AnnounceAsync(Call call, RecordingVerdict verdict, NegotiatedMedia callerMedia, NegotiatedMedia calleeMedia)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(verdict);
        if (!verdict.Announce || call.Bridge is null || Prompts?.TryGet(PromptLibrary.RecordingNotice, out var prompt) != true)
        {
            return null;
        }

        var announcement = new RecordingAnnouncement(call.Bridge, callerMedia, calleeMedia, _time);
        _announcing[call.Id] = announcement;
        SwitchLog.RecordingAnnounced(_logger, call.CallId, verdict.PolicyName ?? "none");
        return announcement.PlayAsync(prompt);
    }

    /// <summary>
    /// The parties were just bridged: the call's recording side when the policy records now or on demand (set as the
    /// bridge's tap, so its feature codes are heard); null when it never records.
    /// </summary>
    public RecordedCall? Begin(Call call, RecordingVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(verdict);
        _announcing.TryRemove(call.Id, out _);
        if ((!verdict.RecordNow && verdict.Mode != RecordingMode.OnDemand) || call.Bridge is null)
        {
            return null;
        }

        var recorded = new RecordedCall(
            verdict, call.CallId, fromCaller => fromCaller ? call.Caller.Party : call.Callee?.Party ?? "", () => Start(call, verdict), Stop, _logger,
            Policies.Codes(call.TenantId));
        _byCall[call.Id] = recorded;
        call.Bridge.SetTap(recorded);
        if (verdict.RecordNow)
        {
            recorded.StartNow();
        }

        return recorded;
    }

    /// <summary>The call ended: an announcement still playing stops, and the writer finishes its recording's file at once.</summary>
    public void End(Call call, RecordedCall? recorded)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (_announcing.TryRemove(call.Id, out var announcement))
        {
            announcement.Dispose();
        }

        _byCall.TryRemove(call.Id, out _);
        recorded?.End();
    }

    /// <summary>
    /// A start, stop, pause or resume from the API for a call this node records; false when it records no such call or
    /// the call's recording refuses it (not on demand, already so). Start and stop take the feature code's own path.
    /// </summary>
    public bool Control(RecordingControl control)
    {
        ArgumentNullException.ThrowIfNull(control);
        if (!_byCall.TryGetValue(control.CallId, out var recorded))
        {
            return false;
        }

        switch (control.Action)
        {
            case RecordingControlAction.Start:
                return recorded.StartOnDemand(control.By);
            case RecordingControlAction.Stop:
                return recorded.StopOnDemand(control.By);
            case RecordingControlAction.Pause:
            case RecordingControlAction.Resume:
                var pause = control.Action == RecordingControlAction.Pause;
                var applied = pause ? recorded.Pause(control.By) : recorded.Resume();
                if (applied && recorded.Current is { } recording)
                {
                    SwitchLog.RecordingPaused(_logger, recording.Facts.RecordingId, pause ? "paused" : "resumed", control.By);
                }

                return applied;
            default:
                throw new ArgumentOutOfRangeException(nameof(control), control.Action, null);
        }
    }

    /// <summary>Starts a recording of the call from this moment: a fresh data key wrapped by the master key, the row written, the file handed to the writer thread.</summary>
    private CallRecording Start(Call call, RecordingVerdict verdict)
    {
        var id = Guid.CreateVersion7();
        var now = _time.GetUtcNow();
        var relative = Path.Combine(call.TenantId.ToString("D"), now.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), $"{id:D}.sealed");
        var facts = new RecordingFacts(id, call.TenantId, call.Id, call.Caller.Party, call.Callee?.Party ?? call.Dialled, now, verdict, relative);
        var key = SealedAudio.NewDataKey();
        byte[] wrapped;
        try
        {
            wrapped = _protector.Protect(key, KeyPurpose.Recording(id));
        }
        catch
        {
            CryptographicOperations.ZeroMemory(key);
            throw;
        }

        // The recording zeroes its copy of the key once its file is open.
        var recording = new CallRecording(facts, key, Path.Combine(_directory, relative), _time);
        _store.Write(new RecordingEvent(facts, WrappedDataKey: wrapped));
        _writer.Add(recording);
        SwitchLog.RecordingStarted(_logger, call.CallId, id, verdict.PolicyName ?? "none");
        return recording;
    }

    private void Stop(CallRecording recording)
    {
        recording.Stop(_time.GetUtcNow());
        _writer.Wake();
    }

    public void Dispose() => _writer.Dispose();

    private void Completed(CallRecording recording, SealedAudioSummary summary) =>
        _store.Write(new RecordingEvent(recording.Facts, Summary: summary, EndedAt: recording.EndedAt, Pauses: recording.Pauses, DroppedMs: recording.DroppedMs));

    private void Failed(CallRecording recording, Exception exception)
    {
        SwitchLog.RecordingFailed(_logger, recording.Facts.RecordingId, exception);
        _store.Write(new RecordingEvent(recording.Facts, EndedAt: _time.GetUtcNow(), Failed: true));
    }
}
