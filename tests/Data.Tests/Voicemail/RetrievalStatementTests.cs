using HostedPbx.Data.Calls;
using HostedPbx.Data.Entities;
using HostedPbx.Testing;

namespace HostedPbx.Data.Tests.Voicemail;

/// <summary>
/// A call to one's own mailbox by *97 is stored as a voicemail call, but what happened is the reverse of a deposit: the
/// switch decrypted stored messages and played them to the handset. Its statement says that, and not the deposit's words.
/// </summary>
public sealed class RetrievalStatementTests
{
    [Fact]
    public void Render_202DialsStarNinetySeven_SaysDecryptedFromStorageAndSentOverSrtp_NotTheDepositSentence()
    {
        var text = SecurityStatement.Render(Call("202", "*97", Handset("202", MediaProtection.Srtp), Mailbox("202")));

        Assert.StartsWith("Call from extension 202 to its own mailbox (*97).", text, StringComparison.Ordinal);
        Assert.Contains("What you heard was decrypted from storage by our switch and sent to your handset encrypted (SRTP)", text, StringComparison.Ordinal);
        Assert.Contains("the platform operator, who can technically read stored messages", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Your message was encrypted from your handset", text, StringComparison.Ordinal);
        Assert.DoesNotContain("NOT encrypted", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RetrievalOverPlainRtp_SaysSentNotEncrypted()
    {
        var text = SecurityStatement.Render(Call("202", "*97", Handset("202", MediaProtection.None), Mailbox("202")));

        Assert.Contains("sent to your handset NOT encrypted", text, StringComparison.Ordinal);
        Assert.DoesNotContain("(SRTP)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_201LeavesAMessageFor202_KeepsTheDepositSentence()
    {
        var text = SecurityStatement.Render(Call("201", "202", Handset("201", MediaProtection.Srtp), Mailbox("202")));

        Assert.StartsWith("Call from 201 to voicemail (202).", text, StringComparison.Ordinal);
        Assert.Contains("Your message was encrypted from your handset to our switch", text, StringComparison.Ordinal);
        Assert.DoesNotContain("What you heard", text, StringComparison.Ordinal);
    }

    private static CallRecord Call(string from, string to, params CallLegRecord[] legs)
    {
        var call = new CallRecord
        {
            SipCallId = "c1", Type = CallType.Voicemail, FromParty = from, ToParty = to, StartedAt = TestClock.Now,
            AnsweredAt = TestClock.Now.AddSeconds(1), EndedAt = TestClock.Now.AddSeconds(40), Outcome = CallOutcome.Answered,
        };
        call.Legs.AddRange(legs);
        return call;
    }

    private static CallLegRecord Handset(string party, MediaProtection media) => new()
    {
        Position = 1, Kind = LegKind.Handset, Party = party, Transport = SignallingTransport.Tls, TlsVersion = "TLSv1.3",
        PeerCertificateVerified = true, PeerMac = "0015651a2202", MediaProtection = media,
        SrtpSuite = media == MediaProtection.Srtp ? "AES_CM_128_HMAC_SHA1_80" : null,
    };

    private static CallLegRecord Mailbox(string owner) => new()
    {
        Position = 2, Kind = LegKind.Voicemail, Party = owner, Transport = SignallingTransport.Internal, MediaProtection = MediaProtection.None,
    };
}
