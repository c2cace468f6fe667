using System.Security.Cryptography;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Recordings;
using HostedPbx.Switch.Calls;
using HostedPbx.Switch.Calls.Applications;
using HostedPbx.Switch.Calls.Recording;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Tests.Calls.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostedPbx.Switch.Tests.Recordings;

/// <summary>
/// "This call may be recorded" (issue 10 item 1), heard the way each handset hears it: SRTP decrypted with the keys of
/// its own leg, before the parties are bridged; then the bridge carries their audio.
/// </summary>
public sealed class RecordingAnnouncementTests : IAsyncLifetime
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly string _folder = Directory.CreateTempSubdirectory("hostedpbx-announce-").FullName;
    private readonly KeyProtector _protector = new(RandomNumberGenerator.GetBytes(32));
    private readonly Guid _tenant = Guid.CreateVersion7();
    private CallRecorder? _recorder;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        _recorder?.Dispose();
        _protector.Dispose();
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Answer_PolicyAnnounces_BothPartiesHearThePromptThenTalk()
    {
        await using var harness = Harness(announce: true, 31900, 31949);
        await harness.Prompts.EnsureAsync(_ct);
        Assert.True(harness.Prompts.TryGet(PromptLibrary.RecordingNotice, out var prompt));
        var (alice, bob, aliceMedia, bobMedia) = await ConnectAsync(harness);
        using var aliceOut = aliceMedia.LocalCrypto.CreateContext();
        using var aliceIn = aliceMedia.RemoteCrypto.CreateContext();
        using var bobOut = bobMedia.LocalCrypto.CreateContext();
        using var bobIn = bobMedia.RemoteCrypto.CreateContext();

        // Alice talks at once: not bridged yet, so Bob hears only the announcement.
        await alice.SendAudioAsync(aliceMedia, aliceOut, 1, 0x55, _ct);
        var packets = (prompt.Samples.Length + 159) / 160;
        for (var i = 0; i < packets; i++)
        {
            harness.Time.Advance(TimeSpan.FromMilliseconds(20));
            var expected = prompt.Samples.Skip(i * 160).Take(160).Select(G711.EncodeMuLaw).ToArray();
            Assert.Equal(expected, (await alice.ReceiveAudioAsync(aliceIn, _ct)).Payload);
            Assert.Equal(expected, (await bob.ReceiveAudioAsync(bobIn, _ct)).Payload);
        }

        var call = Assert.Single(harness.Calls.ActiveCalls);
        Assert.True(call.RecordingVerdict!.Announce);
        await BridgedAsync(call);

        await alice.SendAudioAsync(aliceMedia, aliceOut, 2, 0x11, _ct);
        Assert.All((await bob.ReceiveAudioAsync(bobIn, _ct)).Payload, b => Assert.Equal(0x11, b));
        await bob.SendAudioAsync(bobMedia, bobOut, 2, 0x22, _ct);
        Assert.All((await alice.ReceiveAudioAsync(aliceIn, _ct)).Payload, b => Assert.Equal(0x22, b));
    }

    [Fact]
    public async Task Answer_PolicyWithoutAnnouncement_BridgesAtOnce()
    {
        await using var harness = Harness(announce: false, 31950, 31999);
        await harness.Prompts.EnsureAsync(_ct);
        var (alice, bob, aliceMedia, bobMedia) = await ConnectAsync(harness);
        using var aliceOut = aliceMedia.LocalCrypto.CreateContext();
        using var bobIn = bobMedia.RemoteCrypto.CreateContext();

        var call = Assert.Single(harness.Calls.ActiveCalls);
        Assert.False(call.RecordingVerdict!.Announce);
        Assert.NotNull(call.Recording);
        await alice.SendAudioAsync(aliceMedia, aliceOut, 1, 0x33, _ct);

        Assert.All((await bob.ReceiveAudioAsync(bobIn, _ct)).Payload, b => Assert.Equal(0x33, b));
    }

    // The bridge starts on the thread pool once both players are done; the call's recording side is set as it starts.
    private async Task BridgedAsync(Call call)
    {
        while (call.Recording is null)
        {
            _ct.ThrowIfCancellationRequested();
            await Task.Yield();
        }
    }

    private async Task<(TestPhone Alice, TestPhone Bob, NegotiatedMedia AliceMedia, NegotiatedMedia BobMedia)> ConnectAsync(CallHarness harness)
    {
        var alice = await harness.ConnectAsync(_tenant, "201", _ct);
        var bob = await harness.ConnectAsync(_tenant, "202", _ct);
        var call = await alice.InviteAsync("202", _ct);
        var (_, bobMedia) = await bob.AnswerAsync(_ct);
        var aliceMedia = await alice.CompleteAsync(call, _ct);
        await bob.RequestAsync("ACK", _ct);
        return (alice, bob, aliceMedia, bobMedia);
    }

    // The tenant's policy is "on demand" (nothing is written unless *1 is keyed), announced or not.
    private CallHarness Harness(bool announce, int portMin, int portMax) => new(portMin, portMax, recorder: harness =>
    {
        harness.AddTenant(id: _tenant);
        var policy = new RecordingPolicyChoice(Guid.CreateVersion7(), "on demand", RecordingMode.OnDemand, announce);
        var store = new RecordingStore(null, _protector, _folder, "test", harness.Time, NullLogger.Instance);
        _recorder = new CallRecorder(_protector, _folder, store, harness.Time, NullLogger.Instance)
        {
            Policies = new RecordingPolicyBook(
                new Dictionary<Guid, RecordingPolicyChoice> { [policy.Id] = policy },
                new Dictionary<Guid, Guid?> { [_tenant] = policy.Id },
                new Dictionary<(Guid, string), Guid?>()),
        };
        return _recorder;
    });
}
