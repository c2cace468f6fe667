using HostedPbx.Data.Calls;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Calls;
using HostedPbx.Switch.Calls.Voicemail;
using HostedPbx.Testing;

namespace HostedPbx.Switch.Tests.Voicemail;

/// <summary>
/// Which calls reach a mailbox (issue 9 item 1): the extension busy (or rejecting) or not answering within its own
/// no-answer time; the caller is answered by the mailbox, and the call's record is a voicemail call.
/// </summary>
[Collection(VoicemailDatabase.Name)]
public sealed class RoutingTests(PostgresFixture database)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Invite_CalleeRejects486_MailboxAnswersWithTheBusyGreeting()
    {
        await using var scene = await MailboxScene.StartAsync(database, 32550, _ct);
        var alice = await scene.Harness.ConnectAsync(scene.Tenant.Id, "201", _ct);
        var bob = await scene.Harness.ConnectAsync(scene.Tenant.Id, "202", _ct);

        var call = await alice.InviteAsync("202", _ct);
        var invite = await bob.RequestAsync("INVITE", _ct);
        await bob.SendAsync(bob.Response(invite, 486, "busy"), _ct);
        await alice.CompleteAsync(call, _ct);

        var mailbox = scene.Mailbox;
        var greeting = await mailbox.Greeting.WaitAsync(_ct);
        Assert.Equal(MailboxPrompts.Greeting(scene.Harness.Prompts, "202", GreetingKind.Busy).Length + MailboxPrompts.Tone.Length, greeting);
        Assert.NotEqual(MailboxPrompts.Greeting(scene.Harness.Prompts, "202", GreetingKind.Unavailable).Length, MailboxPrompts.Greeting(scene.Harness.Prompts, "202", GreetingKind.Busy).Length);

        await alice.SendAsync(alice.InDialog("BYE", call), _ct);
        await alice.ResponseAsync(call.CallId, "BYE", 200, _ct);
        var record = await EndedRecordAsync(scene);
        Assert.Equal(CallType.Voicemail, record.Type);
        Assert.Equal("202", record.ToParty);
        Assert.Equal([HostedPbx.Data.Entities.LegKind.Handset, HostedPbx.Data.Entities.LegKind.Voicemail], record.Legs.OrderBy(l => l.Position).Select(l => l.Kind));

        // The statement says what a voicemail call is (issue 9 item 7), and never that the audio went unencrypted.
        var statement = SecurityStatement.Render(record);
        Assert.Contains("Your message was encrypted from your handset to our switch", statement, StringComparison.Ordinal);
        Assert.Contains("stored encrypted", statement, StringComparison.Ordinal);
        Assert.Contains("the platform operator, who can technically read stored messages", statement, StringComparison.Ordinal);
        Assert.Contains("e-mail copies leave our protection when sent", statement, StringComparison.Ordinal);
        Assert.DoesNotContain("NOT encrypted", statement, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invite_CalleeRingsPastItsNoAnswerTime_IsCancelledAndTheMailboxAnswers()
    {
        await using var scene = await MailboxScene.StartAsync(database, 32600, _ct);
        scene.Harness.SetForwarding(scene.Tenant.Id, "202", noAnswerSeconds: 7);
        var alice = await scene.Harness.ConnectAsync(scene.Tenant.Id, "201", _ct);
        var bob = await scene.Harness.ConnectAsync(scene.Tenant.Id, "202", _ct);

        var call = await alice.InviteAsync("202", _ct);
        var invite = await bob.RequestAsync("INVITE", _ct);
        await bob.RingAsync(invite, _ct);
        await alice.ResponseAsync(call.CallId, "INVITE", 180, _ct);
        scene.Harness.Time.Advance(TimeSpan.FromSeconds(6));
        Assert.False(alice.HasReceived<HostedPbx.Switch.Sip.Messages.SipResponse>(r => r.StatusCode == 200 && r.CallId == call.CallId));

        scene.Harness.Time.Advance(TimeSpan.FromSeconds(1));
        await bob.RequestAsync("CANCEL", _ct);
        await alice.CompleteAsync(call, _ct);
        Assert.Equal(Call.State.Answered, scene.Harness.Calls.ActiveCalls.Single().CurrentState);
        Assert.Equal(
            MailboxPrompts.Greeting(scene.Harness.Prompts, "202", GreetingKind.Unavailable).Length + MailboxPrompts.Tone.Length,
            await scene.Mailbox.Greeting.WaitAsync(_ct));
        await alice.SendAsync(alice.InDialog("BYE", call), _ct);
        await alice.ResponseAsync(call.CallId, "BYE", 200, _ct);
    }

    [Fact]
    public async Task Invite_CalleeWithoutVoicemailNotRegistered_Gets480AsBefore()
    {
        await using var scene = await MailboxScene.StartAsync(database, 32650, _ct);
        scene.Harness.AddExtension(scene.Tenant.Id, "209", Guid.CreateVersion7(), voicemail: false);
        var alice = await scene.Harness.ConnectAsync(scene.Tenant.Id, "201", _ct);

        var call = await alice.InviteAsync("209", _ct);

        await alice.ResponseAsync(call.CallId, "INVITE", 480, _ct);
        Assert.Empty(scene.Harness.Calls.ActiveCalls);
    }

    private static async Task<CallRecord> EndedRecordAsync(MailboxScene scene)
    {
        while (true)
        {
            var record = await scene.Harness.Records.Pending.ReadAsync(TestContext.Current.CancellationToken);
            if (record.EndedAt is not null)
            {
                return record;
            }
        }
    }
}
