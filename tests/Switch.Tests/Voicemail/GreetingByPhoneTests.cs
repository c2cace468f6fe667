using HostedPbx.Data.Entities;
using HostedPbx.Data.Voicemail;
using HostedPbx.Switch.Calls.Applications;
using HostedPbx.Switch.Calls.Voicemail;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Tests.Calls.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.Tests.Voicemail;

/// <summary>
/// Recording greetings by phone (issue 9 item 4, menu option 5): 202 dials *97, records, hears it back and keeps it;
/// then a caller sent to 202's mailbox hears what 202 recorded. A hang-up while recording keeps the old greeting,
/// option 3 brings back the default, and silence is refused.
/// </summary>
[Collection(VoicemailDatabase.Name)]
public sealed class GreetingByPhoneTests(PostgresFixture database)
{
    private const string Pin = "2580";

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Option5_RecordUnavailableAndKeep_ACallerSentToTheMailboxHearsIt()
    {
        await using var scene = await StartAsync(34000);
        var (bob, call, media, leg) = await DialAsync(scene);
        using var keypad = new Keypad(bob, media);
        await OpenMenuAsync(leg, keypad);

        await keypad.PressAsync("51", _ct);
        await RecordAsync(scene, leg, keypad, GreetingKind.Unavailable, Speech(100));

        // Played back as recorded, then the question; 1 keeps it.
        var review = await ExpectAsync(leg, "greeting:Unavailable");
        Assert.Equal(100 * 160 + Length(scene, MailboxPrompts.GreetingReview), review);
        await keypad.PressAsync("1", _ct);
        await PlayOutAsync(scene, leg, MailboxPrompts.GreetingKept);
        await HangUpAsync(scene, bob, call, leg, keypad);

        // Stored as an upload is: one row, its sealed file, and the change audited with the extension by phone as actor.
        await using (var db = database.CreateOwnerContext())
        {
            var greeting = await db.VoicemailGreetings.AsNoTracking().SingleAsync(_ct);
            Assert.Equal((scene.Callee.Id, GreetingKind.Unavailable, 2000), (greeting.ExtensionId, greeting.Kind, greeting.DurationMs));
            Assert.True(File.Exists(Path.Combine(scene.Root, greeting.StoragePath)));
            var audit = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == "voicemail.greeting.record", _ct);
            Assert.Equal((AuditActorKind.Device, AuditOutcome.Success, scene.Callee.Id.ToString()), (audit.ActorKind, audit.Outcome, audit.TargetId));
            Assert.StartsWith("extension 202 by phone", audit.ActorName, StringComparison.Ordinal);
        }

        // 201 calls; 202's handset declines (480), so the mailbox answers with the unavailable greeting 202 recorded.
        var heard = await DepositGreetingAsync(scene, bob, 480, 100);
        Assert.True(Correlation(Decode(Speech(100)), heard) >= 0.9);
    }

    [Fact]
    public async Task Option5_RecordBusyAndKeep_PlaysWhenTheExtensionIsBusy()
    {
        await using var scene = await StartAsync(34050);
        var (bob, call, media, leg) = await DialAsync(scene);
        using var keypad = new Keypad(bob, media);
        await OpenMenuAsync(leg, keypad);

        await keypad.PressAsync("52", _ct);
        var spoken = Speech(75, seed: 5);
        await RecordAsync(scene, leg, keypad, GreetingKind.Busy, spoken);
        await ExpectAsync(leg, "greeting:Busy");
        await keypad.PressAsync("1", _ct);
        await PlayOutAsync(scene, leg, MailboxPrompts.GreetingKept);
        await HangUpAsync(scene, bob, call, leg, keypad);

        var heard = await DepositGreetingAsync(scene, bob, 486, 75);
        Assert.True(Correlation(Decode(spoken), heard) >= 0.9);

        // The unavailable greeting is still the default one.
        await using var db = database.CreateOwnerContext();
        Assert.Equal(GreetingKind.Busy, (await db.VoicemailGreetings.AsNoTracking().SingleAsync(_ct)).Kind);
    }

    [Fact]
    public async Task Option5_NoHashWithinAMinute_RecordingStopsAtTheUploadLimitAndSilenceIsRefused()
    {
        await using var scene = await StartAsync(34250);
        var (bob, call, media, leg) = await DialAsync(scene);
        using var keypad = new Keypad(bob, media);
        await OpenMenuAsync(leg, keypad);

        await keypad.PressAsync("51", _ct);
        await ExpectAsync(leg, MailboxPrompts.GreetingMenu);
        await PlayOutAsync(scene, leg, MailboxPrompts.RecordGreeting);
        await ExpectAsync(leg, "record:Unavailable");

        // A second short of the limit it still records; at the limit (the one upload limit, 60 s) it stops, and what
        // it holds (nothing) is refused.
        scene.Harness.Time.Advance(GreetingUpload.MaxDuration - TimeSpan.FromSeconds(1));
        Assert.False(leg.Played.TryRead(out _));
        scene.Harness.Time.Advance(TimeSpan.FromSeconds(1));
        await ExpectAsync(leg, MailboxPrompts.GreetingRefused);

        await bob.SendAsync(bob.InDialog("BYE", call), _ct);
        await bob.ResponseAsync(call.CallId, "BYE", 200, _ct);
        await leg.Completion.WaitAsync(_ct);
        Assert.Equal("shorter than 1 s", Assert.Single(Drain(scene), e => e.Action == "voicemail.greeting.record").Reason);
    }

    [Fact]
    public async Task Option5_HangUpWhileRecording_OldGreetingStaysAndNothingIsWritten()
    {
        await using var scene = await StartAsync(34100);
        var old = await UploadAsync(scene, GreetingKind.Unavailable);
        var (bob, call, media, leg) = await DialAsync(scene);
        using var keypad = new Keypad(bob, media);
        await OpenMenuAsync(leg, keypad);

        await keypad.PressAsync("51", _ct);
        await ExpectAsync(leg, MailboxPrompts.GreetingMenu);
        await PlayOutAsync(scene, leg, MailboxPrompts.RecordGreeting);
        await ExpectAsync(leg, "record:Unavailable");
        await keypad.SpeakAsync(Speech(100), _ct);
        await bob.SendAsync(bob.InDialog("BYE", call), _ct);
        await bob.ResponseAsync(call.CallId, "BYE", 200, _ct);
        await leg.Completion.WaitAsync(_ct);

        await using var db = database.CreateOwnerContext();
        var kept = await db.VoicemailGreetings.AsNoTracking().SingleAsync(_ct);
        Assert.Equal(old.Id, kept.Id);
        Assert.Equal([Path.GetFullPath(Path.Combine(scene.Root, old.StoragePath))],
            Directory.GetFiles(Path.Combine(scene.Root, scene.Tenant.Id.ToString(), scene.Callee.Id.ToString())).Select(Path.GetFullPath));
        Assert.False(await db.AuditEvents.AnyAsync(e => e.Action == "voicemail.greeting.record", _ct));
    }

    [Fact]
    public async Task Option5Then3_RecordedGreetingGoesAndCallersHearTheDefault()
    {
        await using var scene = await StartAsync(34150);
        var old = await UploadAsync(scene, GreetingKind.Unavailable);
        var (bob, call, media, leg) = await DialAsync(scene);
        using var keypad = new Keypad(bob, media);
        await OpenMenuAsync(leg, keypad);

        await keypad.PressAsync("5", _ct);
        await ExpectAsync(leg, MailboxPrompts.GreetingMenu);
        await keypad.PressAsync("3", _ct);
        await ExpectAsync(leg, MailboxPrompts.DefaultWhich);
        await keypad.PressAsync("1", _ct);
        await PlayOutAsync(scene, leg, MailboxPrompts.DefaultRestored);
        await HangUpAsync(scene, bob, call, leg, keypad);

        await using (var db = database.CreateOwnerContext())
        {
            Assert.False(await db.VoicemailGreetings.AnyAsync(_ct));
            Assert.False(File.Exists(Path.Combine(scene.Root, old.StoragePath)));
            var audit = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == "voicemail.greeting.delete", _ct);
            Assert.Equal("Unavailable", audit.Reason);
        }

        // The caller now hears the default greeting that says 202's number.
        var alice = await scene.Harness.ConnectAsync(scene.Tenant.Id, "201", _ct);
        var deposit = await alice.InviteAsync("202", _ct);
        var invite = await bob.RequestAsync("INVITE", _ct);
        await bob.SendAsync(bob.Response(invite, 480, "away"), _ct);
        await alice.CompleteAsync(deposit, _ct);
        Assert.Equal(MailboxPrompts.Greeting(scene.Harness.Prompts, "202", GreetingKind.Unavailable).Length + MailboxPrompts.Tone.Length,
            await scene.Mailbox.Greeting.WaitAsync(_ct));
        await alice.SendAsync(alice.InDialog("BYE", deposit), _ct);
        await alice.ResponseAsync(deposit.CallId, "BYE", 200, _ct);
    }

    [Fact]
    public async Task Option5_OnlySilence_RefusedWithAPromptAndNotStored()
    {
        await using var scene = await StartAsync(34200);
        var (bob, call, media, leg) = await DialAsync(scene);
        using var keypad = new Keypad(bob, media);
        await OpenMenuAsync(leg, keypad);

        await keypad.PressAsync("51", _ct);
        await RecordAsync(scene, leg, keypad, GreetingKind.Unavailable, Enumerable.Repeat((byte)0xFF, 150));
        await PlayOutAsync(scene, leg, MailboxPrompts.GreetingRefused);

        // Asked to record again; a hang-up then leaves the default greeting.
        await ExpectAsync(leg, MailboxPrompts.RecordGreeting);
        await bob.SendAsync(bob.InDialog("BYE", call), _ct);
        await bob.ResponseAsync(call.CallId, "BYE", 200, _ct);
        await leg.Completion.WaitAsync(_ct);

        await using var db = database.CreateOwnerContext();
        Assert.False(await db.VoicemailGreetings.AnyAsync(_ct));
        var refused = Assert.Single(Drain(scene), e => e.Action == "voicemail.greeting.record");
        Assert.Equal((AuditOutcome.Denied, "only silence"), (refused.Outcome, refused.Reason));
    }

    private async Task<MailboxScene> StartAsync(int mediaPortMin)
    {
        var scene = await MailboxScene.StartAsync(database, mediaPortMin, _ct);
        await using var owner = database.CreateOwnerContext();
        await owner.Extensions.Where(e => e.Id == scene.Callee.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.VoicemailPinHash, VoicemailPin.Hash(Pin)), _ct);
        return scene;
    }

    // A greeting put there as the portal or API does, through the one store function.
    private async Task<VoicemailGreeting> UploadAsync(MailboxScene scene, GreetingKind kind)
    {
        var files = new VoicemailFiles(scene.Root);
        await using var db = database.CreateOwnerContext();
        var extension = await db.Extensions.SingleAsync(e => e.Id == scene.Callee.Id, _ct);
        var pcm = System.Runtime.InteropServices.MemoryMarshal.AsBytes(Decode(Speech(50, seed: 9)).AsSpan()).ToArray();
        return await MailboxChanges.ReplaceGreetingAsync(db, new VoicemailAudio(files, scene.Keys), files, extension, kind, pcm, TestClock.Now, _ct);
    }

    // 202's handset dials *97 and is answered by its mailbox.
    private async Task<(TestPhone Phone, PhoneDialog Call, NegotiatedMedia Media, RetrievalLeg Leg)> DialAsync(MailboxScene scene)
    {
        var phone = await scene.Harness.ConnectAsync(scene.Tenant.Id, "202", _ct);
        var call = await phone.InviteAsync("*97", _ct);
        var media = await phone.CompleteAsync(call, _ct);
        var leg = Assert.IsType<RetrievalLeg>(Assert.Single(scene.Harness.Calls.ActiveCalls).Callee);
        return (phone, call, media, leg);
    }

    private async Task OpenMenuAsync(RetrievalLeg leg, Keypad keypad)
    {
        await ExpectAsync(leg, MailboxPrompts.EnterPin);
        await keypad.PressAsync(Pin + "#", _ct);
        await ExpectAsync(leg, "vm-counts");
    }

    // Past the greetings menu (1 or 2 already pressed): the prompt and tone, then `fills` spoken, then #.
    private async Task RecordAsync(MailboxScene scene, RetrievalLeg leg, Keypad keypad, GreetingKind kind, IEnumerable<byte> fills)
    {
        await ExpectAsync(leg, MailboxPrompts.GreetingMenu);
        await PlayOutAsync(scene, leg, MailboxPrompts.RecordGreeting);
        await ExpectAsync(leg, $"record:{kind}");
        await keypad.SpeakAsync(fills, _ct);
        await keypad.PressAsync("#", _ct);
    }

    // * at the main menu: goodbye, and the switch hangs up.
    private async Task HangUpAsync(MailboxScene scene, TestPhone phone, PhoneDialog call, RetrievalLeg leg, Keypad keypad)
    {
        await ExpectAsync(leg, MailboxPrompts.Menu);
        await keypad.PressAsync("*", _ct);
        await PlayOutAsync(scene, leg, MailboxPrompts.Goodbye);
        Assert.Equal(call.CallId, (await phone.RequestAsync("BYE", _ct)).CallId);
        await leg.Completion.WaitAsync(_ct);
    }

    // 201 calls 202, whose handset answers `status`; the mailbox answers, and 201 hears `packets` of its greeting.
    private async Task<double[]> DepositGreetingAsync(MailboxScene scene, TestPhone bob, int status, int packets)
    {
        var alice = await scene.Harness.ConnectAsync(scene.Tenant.Id, "201", _ct);
        var call = await alice.InviteAsync("202", _ct);
        var invite = await bob.RequestAsync("INVITE", _ct);
        await bob.SendAsync(bob.Response(invite, status, "declined"), _ct);
        var media = await alice.CompleteAsync(call, _ct);
        var mailbox = scene.Mailbox;
        Assert.Equal(packets * 160 + MailboxPrompts.Tone.Length, await mailbox.Greeting.WaitAsync(_ct));

        using var inbound = media.RemoteCrypto.CreateContext();
        var heard = new List<double>();
        for (var i = 0; i < packets; i++)
        {
            scene.Harness.Time.Advance(TimeSpan.FromMilliseconds(20));
            var (payload, _, _) = await alice.ReceiveAudioAsync(inbound, _ct);
            heard.AddRange(payload.Select(b => (double)G711.DecodeMuLaw(b)));
        }

        await alice.SendAsync(alice.InDialog("BYE", call), _ct);
        await alice.ResponseAsync(call.CallId, "BYE", 200, _ct);
        await mailbox.Completion.WaitAsync(_ct);
        return [.. heard];
    }

    private async Task<int> ExpectAsync(RetrievalLeg leg, string name)
    {
        var (played, samples) = await leg.Played.ReadAsync(_ct);
        Assert.Equal(name, played);
        return samples;
    }

    // Lets the next prompt, which must be `name`, play to its end, 20 ms at a time.
    private async Task PlayOutAsync(MailboxScene scene, RetrievalLeg leg, string name)
    {
        var samples = await ExpectAsync(leg, name);
        for (var i = 0; i <= (samples + 159) / 160; i++)
        {
            scene.Harness.Time.Advance(TimeSpan.FromMilliseconds(20));
        }
    }

    private static int Length(MailboxScene scene, string prompt) => MailboxPrompts.Join(scene.Harness.Prompts, [prompt]).Length;

    /// <summary>Speech-like µ-law: a level of either sign that changes every 20 ms, never near silence.</summary>
    private static byte[] Speech(int packets, int seed = 0) =>
        [.. Enumerable.Range(0, packets).Select(i => (byte)(((i * 7 + seed) % 2 == 0 ? 0x20 : 0xA0) + (i * 5 + seed) % 16))];

    private static short[] Decode(byte[] fills) => [.. fills.SelectMany(f => Enumerable.Repeat(G711.DecodeMuLaw(f), 160))];

    private static double Correlation(short[] sent, double[] heard)
    {
        Assert.Equal(sent.Length, heard.Length);
        var x = sent.Select(s => (double)s).ToArray();
        double mx = x.Average(), my = heard.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (heard[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (heard[i] - my) * (heard[i] - my);
        }

        return sxy / Math.Sqrt(sxx * syy);
    }

    private static List<AuditEvent> Drain(MailboxScene scene)
    {
        var events = new List<AuditEvent>();
        while (scene.Harness.Audit.Reader.TryRead(out var e))
        {
            events.Add(e);
        }

        return events;
    }
}
