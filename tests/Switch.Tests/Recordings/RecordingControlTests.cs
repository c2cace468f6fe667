using System.Security.Cryptography;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Recordings;
using HostedPbx.Switch.Calls.Recording;
using HostedPbx.Switch.Tests.Calls.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostedPbx.Switch.Tests.Recordings;

/// <summary>
/// Issue 10 item 1, "or through the API": a start control (as <c>RecordingControlListener</c> hands it over from NOTIFY)
/// on an on-demand call starts a recording, a stop ends it and the store gets what the manifest is made of; a start
/// on a call under another policy does nothing.
/// </summary>
public sealed class RecordingControlTests : IAsyncDisposable
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly string _folder = Directory.CreateTempSubdirectory("hostedpbx-control-").FullName;
    private readonly KeyProtector _protector = new(RandomNumberGenerator.GetBytes(32));
    private readonly Guid _tenant = Guid.CreateVersion7();
    private CallRecorder? _recorder;
    private RecordingStore? _store;

    public ValueTask DisposeAsync()
    {
        _recorder?.Dispose();
        _protector.Dispose();
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Control_StartThenStopOnDemandCall_RecordsBetweenThemAndCompletesTheRecording()
    {
        await using var harness = Harness(RecordingMode.OnDemand, 32100, 32149);
        var (callId, talk, hangUp) = await AnsweredCallAsync(harness);
        await talk(3);
        Assert.False(_store!.Pending.TryRead(out _));

        var started = _recorder!.Control(new RecordingControl(RecordingControlAction.Start, callId, "API key payments"));
        var startedTwice = _recorder.Control(new RecordingControl(RecordingControlAction.Start, callId, "API key payments"));
        var row = await _store.Pending.ReadAsync(_ct);
        await talk(5);
        var stopped = _recorder.Control(new RecordingControl(RecordingControlAction.Stop, callId, "API key payments"));
        var completed = await CompletedAsync();
        var stoppedTwice = _recorder.Control(new RecordingControl(RecordingControlAction.Stop, callId, "API key payments"));
        await hangUp();

        Assert.Equal((true, false, true, false), (started, startedTwice, stopped, stoppedTwice));
        Assert.NotNull(row.WrappedDataKey);
        Assert.Equal(callId, row.Facts.CallId);
        Assert.Equal(RecordingMode.OnDemand, row.Facts.Verdict.Mode);
        Assert.Equal(row.Facts.RecordingId, completed.Facts.RecordingId);
        Assert.False(completed.Failed);
        Assert.False(completed.Summary!.CutShort);
        Assert.Matches("^[0-9a-f]{64}$", completed.Summary.Sha256Hex);
        Assert.True(completed.Summary.Duration > TimeSpan.Zero);
        Assert.NotNull(completed.EndedAt);
        Assert.True(File.Exists(Path.Combine(_folder, completed.Facts.StoragePath)));
        // Nothing more: the call's end found no recording left to close.
        Assert.False(_store.Pending.TryRead(out _));
    }

    [Fact]
    public async Task Control_StartOnCallUnderNeverPolicy_StartsNothing()
    {
        await using var harness = Harness(RecordingMode.Never, 32150, 32199);
        var (callId, talk, hangUp) = await AnsweredCallAsync(harness);

        var started = _recorder!.Control(new RecordingControl(RecordingControlAction.Start, callId, "API key payments"));
        await talk(3);
        await hangUp();

        Assert.False(started);
        Assert.False(_store!.Pending.TryRead(out _));
        Assert.Empty(Directory.EnumerateFiles(_folder, "*", SearchOption.AllDirectories));
    }

    // 201 calls 202, who answers; the call's id (as its record and the API name it), a way to relay audio, and the hang-up.
    private async Task<(Guid CallId, Func<int, Task> Talk, Func<Task> HangUp)> AnsweredCallAsync(CallHarness harness)
    {
        var alice = await harness.ConnectAsync(_tenant, "201", _ct);
        var bob = await harness.ConnectAsync(_tenant, "202", _ct);
        var call = await alice.InviteAsync("202", _ct);
        var (_, bobMedia) = await bob.AnswerAsync(_ct);
        var aliceMedia = await alice.CompleteAsync(call, _ct);
        await bob.RequestAsync("ACK", _ct);
        var aliceOut = aliceMedia.LocalCrypto.CreateContext();
        var bobIn = bobMedia.RemoteCrypto.CreateContext();
        Guid callId;
        while (true)
        {
            var record = await harness.Records.Pending.ReadAsync(_ct);
            if (record.AnsweredAt is not null)
            {
                callId = record.Id;
                break;
            }
        }

        ushort sequence = 0;
        async Task Talk(int packets)
        {
            for (var i = 0; i < packets; i++)
            {
                await alice.SendAudioAsync(aliceMedia, aliceOut, ++sequence, 0x40, _ct);
                await bob.ReceiveAudioAsync(bobIn, _ct);
            }
        }

        async Task HangUp()
        {
            await alice.SendAsync(alice.InDialog("BYE", call), _ct);
            await alice.ResponseAsync(call.CallId, "BYE", 200, _ct);
            aliceOut.Dispose();
            bobIn.Dispose();
        }

        return (callId, Talk, HangUp);
    }

    // The writer thread seals the file and hands the store its summary (no database here: read from the store's queue).
    private async Task<RecordingEvent> CompletedAsync()
    {
        while (true)
        {
            var step = await _store!.Pending.ReadAsync(_ct);
            if (step.Summary is not null || step.Failed)
            {
                return step;
            }
        }
    }

    private CallHarness Harness(RecordingMode mode, int portMin, int portMax) => new(portMin, portMax, recorder: harness =>
    {
        harness.AddTenant(id: _tenant);
        var policy = new RecordingPolicyChoice(Guid.CreateVersion7(), mode.ToString().ToLowerInvariant(), mode, Announce: false);
        _store = new RecordingStore(null, _protector, _folder, "test", harness.Time, NullLogger.Instance);
        _recorder = new CallRecorder(_protector, _folder, _store, harness.Time, NullLogger.Instance)
        {
            Policies = new RecordingPolicyBook(
                new Dictionary<Guid, RecordingPolicyChoice> { [policy.Id] = policy },
                new Dictionary<Guid, Guid?> { [_tenant] = policy.Id },
                new Dictionary<(Guid, string), Guid?>()),
        };
        return _recorder;
    });
}
