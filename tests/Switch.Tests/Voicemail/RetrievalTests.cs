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
/// Hearing one's messages by phone (issue 9 item 4): 202 dials *97 from its own handset, gives its PIN by RFC 4733 or
/// SIP INFO, and plays, saves and deletes messages; what it hears, and what the mailbox's rows and counts say after.
/// </summary>
[Collection(VoicemailDatabase.Name)]
public sealed class RetrievalTests(PostgresFixture database)
{
    private const string Pin = "2580";

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task AccessNumber_RightPinByRfc4733_PlaysTheNewMessageMarksItHeardAndDeletes()
    {
        await using var scene = await StartAsync(33400);
        var speech = StoredMessages.Speech(3);
        var message = await StoredMessages.AddAsync(scene, speech, TimeSpan.FromMinutes(5), _ct);
        var (bob, call, media, leg) = await DialAsync(scene, "202");
        using var keypad = new Keypad(bob, media);

        await ExpectAsync(leg, MailboxPrompts.EnterPin);
        await keypad.PressAsync(Pin + "#", _ct);
        await ExpectAsync(leg, "vm-counts");
        await keypad.PressAsync("1", _ct);
        await ExpectAsync(leg, $"message:{message.Id}");

        // What the handset hears over SRTP is the message itself, 20 ms a packet.
        using var inbound = media.RemoteCrypto.CreateContext();
        for (var i = 0; i < speech.Length / 160; i++)
        {
            scene.Harness.Time.Advance(TimeSpan.FromMilliseconds(20));
            var (payload, _, _) = await bob.ReceiveAudioAsync(inbound, _ct);
            Assert.Equal(speech.Skip(i * 160).Take(160).Select(G711.EncodeMuLaw), payload);
        }

        // Heard: no longer new, now old (RFC 3842's counts follow).
        var heard = await RowAsync(message.Id);
        Assert.Equal(VoicemailStatus.Saved, heard.Status);
        Assert.NotNull(heard.HeardAt);
        Assert.Equal(new MessageWaiting(0, 1), await scene.Store.CountAsync(scene.Callee.Id, _ct));

        await keypad.PressAsync("7", _ct);
        await PlayOutAsync(scene, leg, MailboxPrompts.Deleted);
        var deleted = await RowAsync(message.Id);
        Assert.Equal(VoicemailStatus.Deleted, deleted.Status);
        Assert.False(File.Exists(Path.Combine(scene.Root, message.StoragePath)));
        Assert.Equal(new MessageWaiting(0, 0), await scene.Store.CountAsync(scene.Callee.Id, _ct));

        await PlayOutAsync(scene, leg, MailboxPrompts.NoMore);
        await ExpectAsync(leg, "vm-counts");
        await keypad.PressAsync("*", _ct);
        await PlayOutAsync(scene, leg, MailboxPrompts.Goodbye);
        Assert.Equal(call.CallId, (await bob.RequestAsync("BYE", _ct)).CallId);
        await leg.Completion.WaitAsync(_ct);
    }

    [Fact]
    public async Task AccessNumber_DigitsBySipInfo_OpenTheMailboxAndSaveTheMessage()
    {
        await using var scene = await StartAsync(33450);
        var message = await StoredMessages.AddAsync(scene, StoredMessages.Speech(5), TimeSpan.FromMinutes(5), _ct);
        var (bob, call, _, leg) = await DialAsync(scene, "202");

        await ExpectAsync(leg, MailboxPrompts.EnterPin);
        foreach (var digit in Pin + "#1")
        {
            var info = bob.InDialog("INFO", call).Replace(
                "Content-Length: 0\r\n\r\n", $"Content-Type: application/dtmf-relay\r\nContent-Length: 24\r\n\r\nSignal={digit}\r\nDuration=160\r\n", StringComparison.Ordinal);
            await bob.SendAsync(info, _ct);
            await bob.ResponseAsync(call.CallId, "INFO", 200, _ct);
        }

        await ExpectAsync(leg, "vm-counts");
        await ExpectAsync(leg, $"message:{message.Id}");
        var info9 = bob.InDialog("INFO", call).Replace(
            "Content-Length: 0\r\n\r\n", "Content-Type: application/dtmf-relay\r\nContent-Length: 24\r\n\r\nSignal=9\r\nDuration=160\r\n", StringComparison.Ordinal);
        await bob.SendAsync(info9, _ct);
        await PlayOutAsync(scene, leg, MailboxPrompts.Saved);

        Assert.Equal(VoicemailStatus.Saved, (await RowAsync(message.Id)).Status);
        Assert.Equal(new MessageWaiting(0, 1), await scene.Store.CountAsync(scene.Callee.Id, _ct));
        await bob.SendAsync(bob.InDialog("BYE", call), _ct);
        await bob.ResponseAsync(call.CallId, "BYE", 200, _ct);
        await leg.Completion.WaitAsync(_ct);
    }

    [Fact]
    public async Task AccessNumber_FiveWrongPins_LockFor15MinutesAuditedAndKeptUntilThen()
    {
        await using var scene = await StartAsync(33500);
        var (bob, call, media, leg) = await DialAsync(scene, "202");
        DateTimeOffset lockedAt;
        using (var keypad = new Keypad(bob, media))
        {
            await ExpectAsync(leg, MailboxPrompts.EnterPin);
            for (var attempt = 1; attempt <= 5; attempt++)
            {
                await keypad.PressAsync("1357#", _ct);
                if (attempt < 5)
                {
                    await PlayOutAsync(scene, leg, MailboxPrompts.WrongPin);
                    await ExpectAsync(leg, MailboxPrompts.EnterPin);
                }
            }

            lockedAt = scene.Harness.Time.GetUtcNow();
            await PlayOutAsync(scene, leg, MailboxPrompts.Locked);
            Assert.Equal(call.CallId, (await bob.RequestAsync("BYE", _ct)).CallId);
            await leg.Completion.WaitAsync(_ct);
        }

        // The lock is in the extension's row (another node, or a restart, keeps it) and the audit log says why.
        await using (var db = database.CreateOwnerContext())
        {
            var row = await db.Extensions.AsNoTracking().SingleAsync(e => e.Id == scene.Callee.Id, _ct);
            Assert.Equal(lockedAt + TimeSpan.FromMinutes(15), row.VoicemailLockedUntil!.Value, TimeSpan.FromMilliseconds(1));
            Assert.Equal(0, row.VoicemailFailedPins);
        }

        var audit = Drain(scene);
        var locked = Assert.Single(audit, e => e.Action == "voicemail.pin");
        Assert.Contains("5 wrong PINs in a row", locked.Reason, StringComparison.Ordinal);
        Assert.Equal(scene.Callee.Id.ToString(), locked.TargetId);

        // Even the right PIN is not asked for while the lock holds.
        var (_, second, _, locked2) = await DialAsync(scene, "202", bob);
        await PlayOutAsync(scene, locked2, MailboxPrompts.Locked);
        Assert.Equal(second.CallId, (await bob.RequestAsync("BYE", _ct)).CallId);
        await locked2.Completion.WaitAsync(_ct);
        Assert.Contains(Drain(scene), e => e.Action == "voicemail.pin" && e.Reason!.Contains("is locked until", StringComparison.Ordinal));

        // Fifteen minutes on, the right PIN opens it.
        scene.Harness.Time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        var (_, third, thirdMedia, open) = await DialAsync(scene, "202", bob);
        using var keys = new Keypad(bob, thirdMedia);
        await ExpectAsync(open, MailboxPrompts.EnterPin);
        await keys.PressAsync(Pin + "#", _ct);
        await ExpectAsync(open, "vm-counts");
        await bob.SendAsync(bob.InDialog("BYE", third), _ct);
        await bob.ResponseAsync(third.CallId, "BYE", 200, _ct);
        await open.Completion.WaitAsync(_ct);
    }

    [Fact]
    public async Task AccessNumber_MessageFailsAuthentication_SkippedWithAPromptAndNeverPlayed()
    {
        await using var scene = await StartAsync(33550);
        var damaged = await StoredMessages.AddAsync(scene, StoredMessages.Speech(1), TimeSpan.FromMinutes(10), _ct);
        var good = await StoredMessages.AddAsync(scene, StoredMessages.Speech(2), TimeSpan.FromMinutes(5), _ct);
        var path = Path.Combine(scene.Root, damaged.StoragePath);
        var bytes = await File.ReadAllBytesAsync(path, _ct);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes, _ct);

        var (bob, call, media, leg) = await DialAsync(scene, "202");
        using var keypad = new Keypad(bob, media);
        await ExpectAsync(leg, MailboxPrompts.EnterPin);
        await keypad.PressAsync(Pin + "#", _ct);
        await ExpectAsync(leg, "vm-counts");
        await keypad.PressAsync("1", _ct);

        // The damaged one is said to be damaged and skipped; the next one plays.
        await PlayOutAsync(scene, leg, MailboxPrompts.Unplayable);
        await ExpectAsync(leg, $"message:{good.Id}");
        Assert.Equal(VoicemailStatus.New, (await RowAsync(damaged.Id)).Status);
        Assert.Equal(VoicemailStatus.Saved, (await RowAsync(good.Id)).Status);
        Assert.Equal(new MessageWaiting(1, 1), await scene.Store.CountAsync(scene.Callee.Id, _ct));

        await bob.SendAsync(bob.InDialog("BYE", call), _ct);
        await bob.ResponseAsync(call.CallId, "BYE", 200, _ct);
        await leg.Completion.WaitAsync(_ct);
    }

    [Fact]
    public async Task AccessNumber_TenantAllowsPinlessFromOwnDevice_MenuWithoutPin()
    {
        await using var scene = await StartAsync(33600);
        await using (var owner = database.CreateOwnerContext())
        {
            await owner.Tenants.Where(t => t.Id == scene.Tenant.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.VoicemailPinlessFromOwnDevice, true), _ct);
        }

        var (bob, call, _, leg) = await DialAsync(scene, "202");

        await ExpectAsync(leg, "vm-counts");
        await bob.SendAsync(bob.InDialog("BYE", call), _ct);
        await bob.ResponseAsync(call.CallId, "BYE", 200, _ct);
        await leg.Completion.WaitAsync(_ct);
    }

    [Fact]
    public async Task AccessNumber_VoicemailOff_SaysSoAndHangsUp()
    {
        await using var scene = await StartAsync(33650);
        await using (var owner = database.CreateOwnerContext())
        {
            await owner.Extensions.Where(e => e.Id == scene.Caller.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.VoicemailEnabled, false), _ct);
        }

        var (alice, call, _, leg) = await DialAsync(scene, "201");

        await PlayOutAsync(scene, leg, MailboxPrompts.NoMailbox);
        Assert.Equal(call.CallId, (await alice.RequestAsync("BYE", _ct)).CallId);
        await leg.Completion.WaitAsync(_ct);
    }

    [Fact]
    public async Task AccessNumber_ChangePinTwice_NewPinStoredAndABadOneRefused()
    {
        await using var scene = await StartAsync(33700);
        var (bob, call, media, leg) = await DialAsync(scene, "202");
        using var keypad = new Keypad(bob, media);
        await ExpectAsync(leg, MailboxPrompts.EnterPin);
        await keypad.PressAsync(Pin + "#", _ct);
        await ExpectAsync(leg, "vm-counts");

        await keypad.PressAsync("81111#", _ct);
        await ExpectAsync(leg, MailboxPrompts.NewPin);
        await PlayOutAsync(scene, leg, MailboxPrompts.PinRefused);
        await ExpectAsync(leg, MailboxPrompts.Menu);
        await keypad.PressAsync("83690#", _ct);
        await ExpectAsync(leg, MailboxPrompts.NewPin);
        await ExpectAsync(leg, MailboxPrompts.NewPinAgain);
        await keypad.PressAsync("3690#", _ct);
        await PlayOutAsync(scene, leg, MailboxPrompts.PinChanged);

        await using var db = database.CreateOwnerContext();
        var row = await db.Extensions.AsNoTracking().SingleAsync(e => e.Id == scene.Callee.Id, _ct);
        Assert.True(VoicemailPin.Verify("3690", row.VoicemailPinHash));
        Assert.False(VoicemailPin.Verify(Pin, row.VoicemailPinHash));
        await bob.SendAsync(bob.InDialog("BYE", call), _ct);
        await bob.ResponseAsync(call.CallId, "BYE", 200, _ct);
        await leg.Completion.WaitAsync(_ct);
    }

    private async Task<MailboxScene> StartAsync(int mediaPortMin)
    {
        var scene = await MailboxScene.StartAsync(database, mediaPortMin, _ct);
        await using var owner = database.CreateOwnerContext();
        await owner.Extensions.Where(e => e.Id == scene.Callee.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.VoicemailPinHash, VoicemailPin.Hash(Pin)), _ct);
        return scene;
    }

    // The handset of `extension` (a new one, or `phone` again) dials *97 and is answered by its mailbox.
    private async Task<(TestPhone Phone, PhoneDialog Call, NegotiatedMedia Media, RetrievalLeg Leg)> DialAsync(MailboxScene scene, string extension, TestPhone? phone = null)
    {
        phone ??= await scene.Harness.ConnectAsync(scene.Tenant.Id, extension, _ct);
        var call = await phone.InviteAsync("*97", _ct);
        var media = await phone.CompleteAsync(call, _ct);
        var leg = Assert.IsType<RetrievalLeg>(Assert.Single(scene.Harness.Calls.ActiveCalls).Callee);
        return (phone, call, media, leg);
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

    private async Task<VoicemailMessage> RowAsync(Guid id)
    {
        await using var db = database.CreateOwnerContext();
        return await db.VoicemailMessages.AsNoTracking().SingleAsync(m => m.Id == id, _ct);
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
