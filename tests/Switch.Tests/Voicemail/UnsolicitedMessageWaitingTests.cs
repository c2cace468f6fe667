using System.Text;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Tests.Calls.Support;
using HostedPbx.Testing;

namespace HostedPbx.Switch.Tests.Voicemail;

/// <summary>
/// Handsets whose vendor does not subscribe to message waiting (issue 9 item 3) are told anyway: an out-of-dialog
/// NOTIFY (RFC 3842 §5 body, no Subscription-State) when a line registers and after every change to its mailbox.
/// A handset provisioned to SUBSCRIBE gets nothing it did not ask for.
/// </summary>
[Collection(VoicemailDatabase.Name)]
public sealed class UnsolicitedMessageWaitingTests(PostgresFixture database)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Register_YealinkLine_NotifiedAtOnceAndOneNewAfterADeposit()
    {
        await using var scene = await MailboxScene.StartAsync(database, 34900, _ct);
        var bob = await scene.Harness.ConnectAsync(scene.Tenant.Id, "202", _ct);
        scene.Harness.SetVendor(scene.Tenant.Id, "202", DeviceVendor.Yealink);

        var callId = await RegisterAsync(bob);
        await bob.ResponseAsync(callId, "REGISTER", 200, _ct);
        Assert.Equal(1, scene.Harness.Subscriptions!.UnsolicitedCount);

        var first = await bob.RequestAsync("NOTIFY", _ct);
        Assert.Equal(0, first.ToTag.Length);
        Assert.False(first.TryGetHeader("Subscription-State"u8, out _));
        Assert.True(first.TryGetHeader(KnownHeader.Event, out var package));
        Assert.Equal("message-summary", Encoding.ASCII.GetString(package));
        Assert.True(first.TryGetHeader(KnownHeader.ContentType, out var type));
        Assert.Equal("application/simple-message-summary", Encoding.ASCII.GetString(type));
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
        Assert.NotEqual(first.CallId, second.CallId);
        var body = Encoding.ASCII.GetString(second.Body);
        Assert.Contains("Messages-Waiting: yes", body, StringComparison.Ordinal);
        Assert.Contains("Voice-Message: 1/0", body, StringComparison.Ordinal);
        Assert.Contains("Message-Account: sip:202@127.0.0.1", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_BaresipLine_ThatSubscribesItself_IsNotToldUnasked()
    {
        await using var scene = await MailboxScene.StartAsync(database, 34950, _ct);
        var bob = await scene.Harness.ConnectAsync(scene.Tenant.Id, "202", _ct);
        scene.Harness.SetVendor(scene.Tenant.Id, "202", DeviceVendor.Baresip);

        var callId = await RegisterAsync(bob);
        await bob.ResponseAsync(callId, "REGISTER", 200, _ct);

        // The registrar's answer is sent after the line was (or was not) taken for unsolicited NOTIFYs: it was not.
        Assert.Equal(0, scene.Harness.Subscriptions!.UnsolicitedCount);
    }

    private async Task<string> RegisterAsync(TestPhone phone)
    {
        var callId = $"{Guid.NewGuid():N}@phone";
        await phone.SendAsync(phone.Request("REGISTER", "sip:127.0.0.1:5061", callId, $"<sip:{phone.Extension}@127.0.0.1>;tag=reg{phone.Port}",
            $"<sip:{phone.Extension}@127.0.0.1>", 1, phone.ContactUri, headers: "Expires: 600\r\n"), _ct);
        return callId;
    }
}
