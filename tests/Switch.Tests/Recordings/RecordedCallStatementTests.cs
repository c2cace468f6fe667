using System.Security.Cryptography;
using HostedPbx.Data.Calls;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Recordings;
using HostedPbx.Switch.Calls.Recording;
using HostedPbx.Switch.Tests.Calls.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostedPbx.Switch.Tests.Recordings;

/// <summary>
/// Issue 10 item 7, checked against what happened: a call under a recording policy has a sealed file and its statement
/// says recorded, under which policy, stored encrypted and who may listen; a call with recording off has no file and
/// its statement says so.
/// </summary>
public sealed class RecordedCallStatementTests : IAsyncLifetime
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly string _folder = Directory.CreateTempSubdirectory("hostedpbx-statement-").FullName;
    private readonly KeyProtector _protector = new(RandomNumberGenerator.GetBytes(32));
    private readonly Guid _tenant = Guid.CreateVersion7();
    private CallRecorder? _recorder;
    private RecordingStore? _store;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        _recorder?.Dispose();
        _protector.Dispose();
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Call_PolicyAlways_HasASealedFileAndTheStatementSaysRecorded()
    {
        await using var harness = Harness(RecordingMode.Always, 32000, 32049);

        var record = await CallAndHangUpAsync(harness);

        var completed = await CompletedAsync();
        Assert.True(record.Recorded);
        Assert.True(File.Exists(Path.Combine(_folder, completed.Facts.StoragePath)));
        Assert.True(completed.Summary!.Duration > TimeSpan.Zero);
        var statement = SecurityStatement.Render(record);
        Assert.Contains("The call was recorded under your policy \"always\"", statement, StringComparison.Ordinal);
        Assert.Contains("stored encrypted at rest", statement, StringComparison.Ordinal);
        Assert.Contains("your compliance staff can play it", statement, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_PolicyNever_HasNoFileAndTheStatementSaysNotRecorded()
    {
        await using var harness = Harness(RecordingMode.Never, 32050, 32099);

        var record = await CallAndHangUpAsync(harness);

        Assert.False(record.Recorded);
        Assert.False(_store!.Pending.TryRead(out _));
        Assert.Empty(Directory.EnumerateFiles(_folder, "*", SearchOption.AllDirectories));
        Assert.Contains("The call was not recorded.", SecurityStatement.Render(record), StringComparison.Ordinal);
    }

    private async Task<CallRecord> CallAndHangUpAsync(CallHarness harness)
    {
        var alice = await harness.ConnectAsync(_tenant, "201", _ct);
        var bob = await harness.ConnectAsync(_tenant, "202", _ct);
        var call = await alice.InviteAsync("202", _ct);
        var (_, bobMedia) = await bob.AnswerAsync(_ct);
        var aliceMedia = await alice.CompleteAsync(call, _ct);
        await bob.RequestAsync("ACK", _ct);
        using var aliceOut = aliceMedia.LocalCrypto.CreateContext();
        using var bobIn = bobMedia.RemoteCrypto.CreateContext();
        for (ushort i = 1; i <= 5; i++)
        {
            await alice.SendAudioAsync(aliceMedia, aliceOut, i, 0x40, _ct);
            await bob.ReceiveAudioAsync(bobIn, _ct);
        }

        await alice.SendAsync(alice.InDialog("BYE", call), _ct);
        await alice.ResponseAsync(call.CallId, "BYE", 200, _ct);
        while (true)
        {
            var record = await harness.Records.Pending.ReadAsync(_ct);
            if (record.EndedAt is not null)
            {
                return record;
            }
        }
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
