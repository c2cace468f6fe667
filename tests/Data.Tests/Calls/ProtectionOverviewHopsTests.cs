using HostedPbx.Data.Calls;
using HostedPbx.Data.Entities;
using HostedPbx.Testing;

namespace HostedPbx.Data.Tests.Calls;

/// <summary>
/// The protection page's pictures come from the record its words come from: a plain trunk's carrier hop is drawn not
/// encrypted and a TLS+SRTP trunk's encrypted, as the words say, and nothing beyond the carrier is ever drawn encrypted.
/// </summary>
public sealed class ProtectionOverviewHopsTests
{
    private static readonly Tenant s_tenant = new() { Name = "Acme", CreatedAt = TestClock.Now };

    [Fact]
    public void For_PlainTrunk_CarrierHopNotEncrypted_AndTheWordsSayNotEncrypted()
    {
        var plain = new Trunk { Name = "Old Carrier", Host = "sip.old.example", Transport = TrunkTransport.Udp, PlainTransportAllowed = true, SrtpMode = SrtpMode.Off };

        var entry = ProtectionOverview.For(s_tenant, null, [plain]).Single(e => e.Title.EndsWith("Old Carrier", StringComparison.Ordinal));

        var carrierHop = Assert.Single(entry.Hops, h => h.To == "carrier Old Carrier");
        Assert.False(carrierHop.Encrypted);
        Assert.StartsWith("NOT encrypted: set-up and audio", carrierHop.Protection, StringComparison.Ordinal);
        Assert.Contains("was NOT encrypted", entry.Statement, StringComparison.Ordinal);
        Assert.All(HopsBeyondTheCarrier(entry), h => Assert.False(h.Encrypted));
    }

    [Fact]
    public void For_TlsTrunkRequiringSrtp_CarrierHopEncrypted_ButNothingBeyondTheCarrier()
    {
        var secure = new Trunk { Name = "Good Carrier", Host = "sip.good.example", Transport = TrunkTransport.Tls, SrtpMode = SrtpMode.Required };

        var entry = ProtectionOverview.For(s_tenant, null, [secure]).Single(e => e.Title.EndsWith("Good Carrier", StringComparison.Ordinal));

        Assert.Equal(["the handset of your extension", ProtectionOverviewHops.Switch, "carrier Good Carrier", ProtectionOverviewHops.FarParty],
            [entry.Hops[0].From, .. entry.Hops.Select(h => h.To)]);
        var carrierHop = entry.Hops[1];
        Assert.True(carrierHop.Encrypted);
        Assert.Equal("keys: our switch and the carrier, for this call alone", carrierHop.KeysHeldBy);
        Assert.Contains("encrypted (SRTP", entry.Statement, StringComparison.Ordinal);
        var beyond = Assert.Single(HopsBeyondTheCarrier(entry));
        Assert.False(beyond.Encrypted);
        Assert.Contains("public telephone network, which our encryption does not reach", entry.Statement, StringComparison.Ordinal);
    }

    [Fact]
    public void For_TlsTrunkThatOnlyPrefersSrtp_DrawnNotEncrypted_AsTheWordsPromiseNoSrtp()
    {
        var preferring = new Trunk { Name = "Maybe Carrier", Host = "sip.maybe.example", Transport = TrunkTransport.Tls, SrtpMode = SrtpMode.Preferred };

        var entry = ProtectionOverview.For(s_tenant, null, [preferring]).Single(e => e.Title.EndsWith("Maybe Carrier", StringComparison.Ordinal));

        Assert.False(entry.Hops[1].Encrypted);
        Assert.Equal("NOT encrypted: audio in the clear", entry.Hops[1].Protection);
        Assert.Contains("The audio to and from the telephone carrier's trunk (Maybe Carrier) was NOT encrypted", entry.Statement, StringComparison.Ordinal);
    }

    [Fact]
    public void For_RecordedExternalCallsAndVoicemail_RecorderIsABranch_MailboxStoredEncrypted()
    {
        var policy = new RecordingPolicy { Name = "External", Mode = RecordingMode.ExternalOnly };
        var trunk = new Trunk { Name = "Good Carrier", Host = "sip.good.example" };

        var entries = ProtectionOverview.For(s_tenant, policy, [trunk]);

        Assert.DoesNotContain(entries[0].Hops, h => h.Branch);
        var recorder = Assert.Single(entries[1].Hops, h => h.Branch);
        Assert.Equal((ProtectionOverviewHops.Switch, "the recorder", true), (recorder.From, recorder.To, recorder.Encrypted));
        var voicemail = entries.Single(e => e.Title == "Messages left in voicemail");
        Assert.Equal(["the handset of the caller", ProtectionOverviewHops.Switch, "the mailbox"], [voicemail.Hops[0].From, .. voicemail.Hops.Select(h => h.To)]);
        Assert.True(voicemail.Hops[1].Encrypted);
        Assert.Contains("stored encrypted", voicemail.Statement, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_InboundCallFromAPlainCarrier_LeadsInFromTheFarPartyThroughTheCarrier()
    {
        var call = new CallRecord
        {
            SipCallId = "in", Type = CallType.InboundPstn, FromParty = "+4930123456", ToParty = "201", StartedAt = TestClock.Now, AnsweredAt = TestClock.Now,
            Outcome = CallOutcome.Answered,
        };
        call.Legs.Add(new CallLegRecord { Position = 1, Kind = LegKind.Trunk, Party = "Old", Transport = SignallingTransport.Udp, MediaProtection = MediaProtection.None, LeavesNetwork = true });
        call.Legs.Add(new CallLegRecord { Position = 2, Kind = LegKind.Handset, Party = "201", Transport = SignallingTransport.Tls, PeerCertificateVerified = true, MediaProtection = MediaProtection.Srtp });

        var hops = ProtectionOverviewHops.Of(call);

        Assert.Equal([(ProtectionOverviewHops.FarParty, "carrier Old", false), ("carrier Old", ProtectionOverviewHops.Switch, false), (ProtectionOverviewHops.Switch, "the handset of 201", true)],
            hops.Select(h => (h.From, h.To, h.Encrypted)));
    }

    private static IEnumerable<ProtectionOverviewHop> HopsBeyondTheCarrier(ProtectionOverview.Entry entry) =>
        entry.Hops.SkipWhile(h => !h.To.StartsWith("carrier ", StringComparison.Ordinal)).Skip(1).Where(h => !h.Branch);
}
