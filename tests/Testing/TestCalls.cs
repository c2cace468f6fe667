using HostedPbx.Data;
using HostedPbx.Data.Calls;
using HostedPbx.Data.Entities;

namespace HostedPbx.Testing;

/// <summary>Arranges a finished call between two handsets, as the switch records one, as the table owner.</summary>
public static class TestCalls
{
    public static async Task<CallRecord> AddAsync(PbxDbContext owner, Guid tenantId, string from = "201", string to = "202")
    {
        var call = new CallRecord
        {
            TenantId = tenantId, SipCallId = Guid.NewGuid().ToString("N"), Type = CallType.ExtensionToExtension, FromParty = from, ToParty = to,
            StartedAt = TestClock.Now, AnsweredAt = TestClock.Now.AddSeconds(3), EndedAt = TestClock.Now.AddSeconds(63), Outcome = CallOutcome.Answered,
            FinalSipStatus = 200,
        };
        call.Legs.Add(Leg(call, 1, from, "0015651a0201", "AES_CM_128_HMAC_SHA1_80"));
        call.Legs.Add(Leg(call, 2, to, "0015651a0202", "AEAD_AES_128_GCM"));
        call.SecurityStatement = SecurityStatement.Render(call);
        owner.CallRecords.Add(call);
        await owner.SaveChangesAsync();
        return call;
    }

    private static CallLegRecord Leg(CallRecord call, int position, string party, string mac, string suite) => new()
    {
        CallRecordId = call.Id, TenantId = call.TenantId, Position = position, Kind = LegKind.Handset, Party = party,
        Transport = SignallingTransport.Tls, TlsVersion = "TLSv1.3", TlsCipher = "TLS_AES_256_GCM_SHA384", PeerCertificateVerified = true,
        PeerCertificateSubject = $"CN={mac}", PeerMac = mac, PeerVerifiedBy = "Platform device CA", MediaProtection = MediaProtection.Srtp,
        SrtpSuite = suite,
    };
}
