using HostedPbx.Data.Calls;
using HostedPbx.Data.Entities;
using HostedPbx.Testing;

namespace HostedPbx.Data.Tests.Calls;

/// <summary>The statement says what the facts show, says plainly what was not protected, and names who could still hear.</summary>
public sealed class SecurityStatementTests
{
    [Fact]
    public void Render_ExtensionCallTlsAndSrtpBothLegs_SaysEncryptedAndNamesOperatorOnly()
    {
        var call = Call(CallType.ExtensionToExtension, Handset(1, "201", "0015651a2201", "AES_CM_128_HMAC_SHA1_80"), Handset(2, "202", "0015651a2202", "AEAD_AES_128_GCM"));

        var text = SecurityStatement.Render(call);

        Assert.Contains("extension 201 to extension 202", text, StringComparison.Ordinal);
        Assert.Contains("MAC 00:15:65:1a:22:01", text, StringComparison.Ordinal);
        Assert.Contains("(TLSv1.3)", text, StringComparison.Ordinal);
        Assert.Contains("SRTP, AES_CM_128_HMAC_SHA1_80", text, StringComparison.Ordinal);
        Assert.Contains("SRTP, AEAD_AES_128_GCM", text, StringComparison.Ordinal);
        Assert.Contains("the one on record for this device", text, StringComparison.Ordinal);
        Assert.Contains("inside the switch the audio is in the clear", text, StringComparison.Ordinal);
        Assert.Contains("the platform operator", text, StringComparison.Ordinal);
        Assert.DoesNotContain("NOT encrypted", text, StringComparison.Ordinal);
        Assert.DoesNotContain("carrier", text, StringComparison.Ordinal);
        Assert.DoesNotContain("compliance staff", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_LegacyHandsetWithPlainRtp_SaysNotEncryptedAndWhoCouldListen()
    {
        var legacy = Handset(2, "202", "0015651a2202", null);
        legacy.MediaProtection = MediaProtection.None;
        var call = Call(CallType.ExtensionToExtension, Handset(1, "201", "0015651a2201", "AES_CM_128_HMAC_SHA1_80"), legacy);

        var text = SecurityStatement.Render(call);

        Assert.Contains("The audio to and from the handset of 202 (MAC 00:15:65:1a:22:02) was NOT encrypted", text, StringComparison.Ordinal);
        Assert.Contains("anyone on the network between our switch and the handset of 202", text, StringComparison.Ordinal);
        Assert.Contains("SRTP, AES_CM_128_HMAC_SHA1_80", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_OutboundPstnOverTrunkWithoutTls_NamesTheCarrierAndTheUnencryptedSetup()
    {
        var trunk = new CallLegRecord
        {
            Position = 2, Kind = LegKind.Trunk, Party = "+14155550100", Transport = SignallingTransport.Udp,
            MediaProtection = MediaProtection.None, LeavesNetwork = true,
        };
        var call = Call(CallType.OutboundPstn, Handset(1, "201", "0015651a2201", "AES_CM_128_HMAC_SHA1_80"), trunk);
        call.ToParty = "+14155550100";

        var text = SecurityStatement.Render(call);

        Assert.Contains("to the outside number +14155550100", text, StringComparison.Ordinal);
        Assert.Contains("Call set-up with the telephone carrier's trunk (+14155550100) was NOT encrypted", text, StringComparison.Ordinal);
        Assert.Contains("public telephone network", text, StringComparison.Ordinal);
        Assert.Contains("the telephone carrier and anyone with access to its network", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Recorded_NamesComplianceStaff()
    {
        var call = Call(CallType.ExtensionToExtension, Handset(1, "201", "0015651a2201", "AES_CM_128_HMAC_SHA1_80"), Handset(2, "202", "0015651a2202", "AES_CM_128_HMAC_SHA1_80"));
        call.Recorded = true;

        var text = SecurityStatement.Render(call);

        Assert.Contains("The call was recorded", text, StringComparison.Ordinal);
        Assert.Contains("your compliance staff, from the recording", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RecordedWithRecorderLeg_NamesThePolicyEncryptionAndWhoMayListen()
    {
        var call = Call(CallType.ExtensionToExtension, Handset(1, "201", "0015651a2201", "AES_CM_128_HMAC_SHA1_80"), Handset(2, "202", "0015651a2202", "AES_CM_128_HMAC_SHA1_80"));
        call.Recorded = true;
        call.Legs.Add(new CallLegRecord
        {
            CallRecordId = call.Id, TenantId = call.TenantId, Position = 3, Kind = LegKind.Recorder, Party = "Sales floor",
            Transport = SignallingTransport.Internal, MediaProtection = MediaProtection.None,
        });

        var text = SecurityStatement.Render(call);

        Assert.Contains("recorded under your policy \"Sales floor\"", text, StringComparison.Ordinal);
        Assert.Contains("stored encrypted at rest", text, StringComparison.Ordinal);
        Assert.Contains("only if you granted them access", text, StringComparison.Ordinal);
        // The recorder is no party on the wire: no sentence claims its audio went unencrypted over a network.
        Assert.DoesNotContain("NOT encrypted", text, StringComparison.Ordinal);
        Assert.DoesNotContain("the recorder", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NotRecorded_SaysSoAndNamesNoComplianceListener()
    {
        var call = Call(CallType.ExtensionToExtension, Handset(1, "201", "0015651a2201", "AES_CM_128_HMAC_SHA1_80"), Handset(2, "202", "0015651a2202", "AES_CM_128_HMAC_SHA1_80"));

        var text = SecurityStatement.Render(call);

        Assert.Contains("The call was not recorded.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("compliance staff", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Unanswered_ClaimsNoAudioAndNoListener()
    {
        var call = Call(CallType.ExtensionToExtension, Handset(1, "201", "0015651a2201", "AES_CM_128_HMAC_SHA1_80"));
        call.AnsweredAt = null;

        var text = SecurityStatement.Render(call);

        Assert.Contains("no audio was exchanged", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SRTP", text, StringComparison.Ordinal);
        Assert.DoesNotContain("platform operator", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TlsPeerNotVerified_DoesNotClaimIdentity()
    {
        var peer = Handset(2, "202", "0015651a2202", "AES_CM_128_HMAC_SHA1_80");
        peer.PeerCertificateVerified = false;
        var call = Call(CallType.ExtensionToExtension, Handset(1, "201", "0015651a2201", "AES_CM_128_HMAC_SHA1_80"), peer);

        var text = SecurityStatement.Render(call);

        Assert.Contains("did not prove its identity", text, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "proved its identity"));
    }

    private static CallRecord Call(CallType type, params CallLegRecord[] legs)
    {
        var call = new CallRecord
        {
            SipCallId = "c1", Type = type, FromParty = "201", ToParty = "202", StartedAt = TestClock.Now,
            AnsweredAt = TestClock.Now.AddSeconds(2), EndedAt = TestClock.Now.AddSeconds(60), Outcome = CallOutcome.Answered,
        };
        call.Legs.AddRange(legs);
        return call;
    }

    private static CallLegRecord Handset(int position, string party, string mac, string? suite) => new()
    {
        Position = position, Kind = LegKind.Handset, Party = party, Transport = SignallingTransport.Tls, TlsVersion = "TLSv1.3",
        TlsCipher = "TLS_AES_256_GCM_SHA384", PeerCertificateVerified = true, PeerCertificateSubject = $"CN={mac}", PeerMac = mac,
        PeerVerifiedBy = "Platform device CA", MediaProtection = suite is null ? MediaProtection.None : MediaProtection.Srtp, SrtpSuite = suite,
    };
}
