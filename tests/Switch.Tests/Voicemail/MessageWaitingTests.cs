using System.Text;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Tests.Calls.Support;
using HostedPbx.Testing;

namespace HostedPbx.Switch.Tests.Voicemail;

/// <summary>Message waiting (RFC 3842): a handset subscribes to its own mailbox and hears the counts at once and after each change.</summary>
[Collection(VoicemailDatabase.Name)]
public sealed class MessageWaitingTests(PostgresFixture database)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Subscribe_OwnMailbox_NotifiesNowAndAfterANewMessage()
    {
        await using var scene = await MailboxScene.StartAsync(database, 32800, _ct);
        var bob = await scene.Harness.ConnectAsync(scene.Tenant.Id, "202", _ct);

        var callId = await SubscribeAsync(bob, "202");
        var ok = await bob.ResponseAsync(callId, "SUBSCRIBE", 200, _ct);
        Assert.True(ok.TryGetHeader(KnownHeader.Expires, out var expires));
        Assert.Equal("600", Encoding.ASCII.GetString(expires));

        var first = await bob.RequestAsync("NOTIFY", _ct);
        Assert.Equal(callId, first.CallId);
        Assert.Equal(ok.ToTag, first.FromTag);
        Assert.True(first.TryGetHeader(KnownHeader.Event, out var package));
        Assert.Equal("message-summary", Encoding.ASCII.GetString(package));
        Assert.Contains("Messages-Waiting: no", Encoding.ASCII.GetString(first.Body), StringComparison.Ordinal);
        Assert.Contains("Voice-Message: 0/0", Encoding.ASCII.GetString(first.Body), StringComparison.Ordinal);
        await bob.SendAsync(bob.Response(first, 200, "phone"), _ct);

        await using (var owner = database.CreateOwnerContext())
        {
            owner.VoicemailMessages.Add(new VoicemailMessage
            {
                TenantId = scene.Tenant.Id, ExtensionId = scene.Callee.Id, CallerNumber = "201", ReceivedAt = TestClock.Now,
                StoragePath = "x.sealed", WrappedDataKey = [1], AudioSha256 = "00", DurationMs = 4000,
            });
            await owner.SaveChangesAsync(_ct);
        }

        // What the database's NOTIFY on the mailbox channel tells the switch.
        scene.Harness.Subscriptions!.OnMailboxChanged(scene.Callee.Id);

        var second = await bob.RequestAsync("NOTIFY", _ct);
        var body = Encoding.ASCII.GetString(second.Body);
        Assert.Contains("Messages-Waiting: yes", body, StringComparison.Ordinal);
        Assert.Contains("Voice-Message: 1/0", body, StringComparison.Ordinal);
        Assert.Contains("Message-Account: sip:202@127.0.0.1", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_AnotherExtensionsMailbox_Refused403()
    {
        await using var scene = await MailboxScene.StartAsync(database, 32850, _ct);
        var alice = await scene.Harness.ConnectAsync(scene.Tenant.Id, "201", _ct);

        var callId = await SubscribeAsync(alice, "202");

        await alice.ResponseAsync(callId, "SUBSCRIBE", 403, _ct);
        Assert.Equal(0, scene.Harness.Subscriptions!.Count);
    }

    [Fact]
    public async Task Subscribe_OtherEventPackage_Refused489()
    {
        await using var scene = await MailboxScene.StartAsync(database, 32900, _ct);
        var bob = await scene.Harness.ConnectAsync(scene.Tenant.Id, "202", _ct);

        var callId = await SubscribeAsync(bob, "202", "presence");

        await bob.ResponseAsync(callId, "SUBSCRIBE", 489, _ct);
    }

    private async Task<string> SubscribeAsync(TestPhone phone, string mailbox, string package = "message-summary")
    {
        var callId = $"{Guid.NewGuid():N}@phone";
        var request = phone.Request("SUBSCRIBE", $"sip:{mailbox}@127.0.0.1:5061", callId, $"<sip:{phone.Extension}@127.0.0.1>;tag=mwi{phone.Port}",
            $"<sip:{mailbox}@127.0.0.1>", 1, phone.ContactUri)
            .Replace("Max-Forwards: 70\r\n", $"Max-Forwards: 70\r\nEvent: {package}\r\nExpires: 600\r\n", StringComparison.Ordinal);
        await phone.SendAsync(request, _ct);
        return callId;
    }
}
