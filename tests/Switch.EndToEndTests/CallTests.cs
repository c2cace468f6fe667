using HostedPbx.Data.Entities;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests;

/// <summary>Two real baresip handsets register over mutual TLS and call each other through the real switch.</summary>
public sealed class CallTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Call_201To202_AnsweredAndSpeechArrivesOverSrtpOnBothLegs()
    {
        await using var sut = await SwitchUnderTest.StartAsync(database, _cancel);
        // A minute of silence after the speech keeps the call up (baresip hangs up when its source ends) until the test has
        // seen it in progress and Bob has heard the sentence, however slow the machine; then Alice hangs up.
        var speech = await Audio.MakeSpeechAsync(sut.WorkDirectory, 0.5, 60, _cancel);
        var ca = sut.Root.Certificate.ExportCertificatePem();
        await using var bob = BaresipPeer.Start(sut.WorkDirectory, "bob", "202", sut.SipPort, sut.DeviceCertificate("202").CombinedPem(), ca, speech, 40);
        await using var alice = BaresipPeer.Start(sut.WorkDirectory, "alice", "201", sut.SipPort, sut.DeviceCertificate("201").CombinedPem(), ca, speech, 40);

        var registered = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            var rows = await db.Registrations.AsNoTracking().ToListAsync(_cancel);
            return rows.Count >= 2 ? rows : null;
        }, TimeSpan.FromSeconds(20), () => "both REGISTERs\n" + sut.Output + alice.Log + bob.Log);
        await alice.CommandAsync("dial", $"sip:202@127.0.0.1:{sut.SipPort}", _cancel);
        // While it runs, the call is on record as in progress (what the portal lists as an active call).
        var live = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().Include(c => c.Legs).FirstOrDefaultAsync(c => c.AnsweredAt != null, _cancel);
        }, TimeSpan.FromSeconds(30), () => "the answered call on record\n" + sut.Output + alice.Log);
        await bob.WaitUntilHeardSentenceAsync(
            sut.WorkDirectory, 0.5, TimeSpan.FromSeconds(30), () => "Bob's recording of the whole sentence\n" + bob.Log + sut.Output);
        await alice.CommandAsync("hangup", "", _cancel);
        var record = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().Include(c => c.Legs).FirstOrDefaultAsync(c => c.EndedAt != null, _cancel);
        }, TimeSpan.FromSeconds(20), () => "the call record\n" + sut.Output + alice.Log);
        var received = await Eventually.GetAsync(
            () => Task.FromResult(Directory.GetFiles(bob.RecordingDirectory, "dump-*-dec.wav").FirstOrDefault()),
            TimeSpan.FromSeconds(10), "bob's recording");

        Assert.Equal(2, registered.Select(r => r.ExtensionId).Distinct().Count());
        Assert.All(registered, r => Assert.Equal(sut.NodeName, r.SwitchNode));
        Assert.Equal(CallOutcome.InProgress, live.Outcome);
        Assert.Null(live.EndedAt);
        Assert.Equal(2, live.Legs.Count);
        Assert.Equal(live.Id, record.Id);
        Assert.Equal(CallOutcome.Answered, record.Outcome);
        Assert.Contains("The audio to and from the handset of 202", record.SecurityStatement, StringComparison.Ordinal);
        Assert.DoesNotContain("NOT encrypted", record.SecurityStatement, StringComparison.Ordinal);
        Assert.NotNull(record.AnsweredAt);
        Assert.Equal(2, record.Legs.Count);
        Assert.All(record.Legs, leg =>
        {
            Assert.Equal(MediaProtection.Srtp, leg.MediaProtection);
            Assert.Equal("AES_CM_128_HMAC_SHA1_80", leg.SrtpSuite);
            Assert.True(leg.PeerCertificateVerified);
            Assert.Equal("E2E Device CA", leg.PeerVerifiedBy);
            Assert.StartsWith("TLSv1.", leg.TlsVersion, StringComparison.Ordinal);
        });
        Assert.Equal([SwitchUnderTest.MacOf("201"), SwitchUnderTest.MacOf("202")], record.Legs.OrderBy(l => l.Position).Select(l => l.PeerMac));
        var correlation = Audio.MaxNormalizedCorrelation(Audio.ReadWav(speech), Audio.ReadWav(received), 8000);
        Assert.True(correlation > 0.9, $"speech correlation {correlation:0.000}\n{sut.Output}");
    }

    [Fact]
    public async Task Handset_DeviceNotBoundToExtension_CannotRegisterOrCall()
    {
        await using var sut = await SwitchUnderTest.StartAsync(database, _cancel);
        var speech = await Audio.MakeSpeechAsync(sut.WorkDirectory, _cancel);
        // Device 203's own, valid, enrolled certificate, configured as extension 201.
        await using var mallory = BaresipPeer.Start(
            sut.WorkDirectory, "mallory", "201", sut.SipPort, sut.DeviceCertificate("203").CombinedPem(), sut.Root.Certificate.ExportCertificatePem(), speech, 30);

        await Eventually.GetAsync(() => AuditAsync("sip.register"), TimeSpan.FromSeconds(20), () => "the REGISTER refusal\n" + sut.Output);
        await mallory.CommandAsync("dial", $"sip:202@127.0.0.1:{sut.SipPort}", _cancel);
        var invite = await Eventually.GetAsync(() => AuditAsync("sip.invite"), TimeSpan.FromSeconds(20), () => "the INVITE refusal\n" + sut.Output);

        await using var db = database.CreateOwnerContext();
        Assert.Empty(await db.Registrations.ToListAsync(_cancel));
        Assert.Empty(await db.CallRecords.ToListAsync(_cancel));
        Assert.Equal(AuditOutcome.Denied, invite.Outcome);
        Assert.Equal(SwitchUnderTest.MacOf("203"), invite.ActorName);
    }

    [Fact]
    public async Task Handset_SecondCertificateForEnrolledMac_HandshakeRefused()
    {
        await using var sut = await SwitchUnderTest.StartAsync(database, _cancel);
        var speech = await Audio.MakeSpeechAsync(sut.WorkDirectory, _cancel);
        using var second = sut.Issuer.IssueDevice(sut.DeviceCa, Data.Devices.MacAddress.Parse(SwitchUnderTest.MacOf("201")));
        await using var copy = BaresipPeer.Start(
            sut.WorkDirectory, "copy", "201", sut.SipPort, second.CombinedPem(), sut.Root.Certificate.ExportCertificatePem(), speech, 30);

        var refusal = await Eventually.GetAsync(() => AuditAsync("sip.tls.handshake"), TimeSpan.FromSeconds(20), () => "the handshake refusal\n" + sut.Output);

        await using var db = database.CreateOwnerContext();
        Assert.Empty(await db.Registrations.ToListAsync(_cancel));
        Assert.Contains("not the one enrolled", refusal.Reason, StringComparison.Ordinal);
    }

    private async Task<AuditEvent?> AuditAsync(string action)
    {
        await using var db = database.CreateOwnerContext();
        return await db.AuditEvents.AsNoTracking().FirstOrDefaultAsync(a => a.Action == action, _cancel);
    }
}
