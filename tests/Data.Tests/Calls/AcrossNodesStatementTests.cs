using HostedPbx.Data.Calls;
using HostedPbx.Data.Entities;
using HostedPbx.Testing;

namespace HostedPbx.Data.Tests.Calls;

/// <summary>A call carried between two switch nodes (issue 14): three legs, each named with what protected it.</summary>
public sealed class AcrossNodesStatementTests
{
    [Fact]
    public void Render_AcrossNodesAllLegsSrtp_NamesTheNodeLegAndBothSwitches()
    {
        var call = Call(Handset(1, "201", "0015651a2201"), Node(2, "node-b", MediaProtection.Srtp), Handset(3, "202", "0015651a2202"));

        var text = SecurityStatement.Render(call);

        Assert.Contains("extension 201 to extension 202, within your organisation, carried between two of our switch nodes", text, StringComparison.Ordinal);
        Assert.Contains("Call set-up with our switch node node-b was encrypted (TLSv1.3), and it proved its identity with its own certificate (issued by Platform node CA).", text, StringComparison.Ordinal);
        Assert.Contains("The audio to and from our switch node node-b was encrypted (SRTP, AES_CM_128_HMAC_SHA1_80) with keys for this leg alone.", text, StringComparison.Ordinal);
        Assert.Contains("Each of our switch nodes on the way decrypts the audio", text, StringComparison.Ordinal);
        Assert.Contains("the platform operator, whose switch nodes handle the audio in the clear", text, StringComparison.Ordinal);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(text, "proved its identity"));
        Assert.DoesNotContain("NOT encrypted", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_AcrossNodesNodeLegPlain_SaysSoAndWhoCouldListen()
    {
        var call = Call(Handset(1, "201", "0015651a2201"), Node(2, "node-b", MediaProtection.None), Handset(3, "202", "0015651a2202"));

        var text = SecurityStatement.Render(call);

        Assert.Contains("The audio to and from our switch node node-b was NOT encrypted", text, StringComparison.Ordinal);
        Assert.Contains("anyone on the network between our switch and our switch node node-b", text, StringComparison.Ordinal);
    }

    private static CallRecord Call(params CallLegRecord[] legs)
    {
        var call = new CallRecord
        {
            SipCallId = "c1", Type = CallType.AcrossNodes, FromParty = "201", ToParty = "202", StartedAt = TestClock.Now,
            AnsweredAt = TestClock.Now.AddSeconds(2), EndedAt = TestClock.Now.AddSeconds(60), Outcome = CallOutcome.Answered,
        };
        call.Legs.AddRange(legs);
        return call;
    }

    private static CallLegRecord Node(int position, string name, MediaProtection media) => new()
    {
        Position = position, Kind = LegKind.Node, Party = name, Transport = SignallingTransport.Tls, TlsVersion = "TLSv1.3",
        TlsCipher = "TLS_AES_256_GCM_SHA384", PeerCertificateVerified = true, PeerCertificateSubject = $"CN={name}",
        PeerVerifiedBy = "Platform node CA", MediaProtection = media, SrtpSuite = media == MediaProtection.Srtp ? "AES_CM_128_HMAC_SHA1_80" : null,
    };

    private static CallLegRecord Handset(int position, string party, string mac) => new()
    {
        Position = position, Kind = LegKind.Handset, Party = party, Transport = SignallingTransport.Tls, TlsVersion = "TLSv1.3",
        TlsCipher = "TLS_AES_256_GCM_SHA384", PeerCertificateVerified = true, PeerCertificateSubject = $"CN={mac}", PeerMac = mac,
        PeerVerifiedBy = "Platform device CA", MediaProtection = MediaProtection.Srtp, SrtpSuite = "AES_CM_128_HMAC_SHA1_80",
    };
}
