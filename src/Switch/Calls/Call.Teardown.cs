using HostedPbx.Data.Entities;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Media.Srtp;
using HostedPbx.Switch.Sip.Transport;

namespace HostedPbx.Switch.Calls;

internal sealed partial class Call
{
    /// <summary>Ends the call once: stops timers and media, forgets the Call-IDs and writes the call record.</summary>
    public void End(CallOutcome outcome, int? finalStatus)
    {
        lock (_gate)
        {
            if (State == CallState.Ended)
            {
                return;
            }

            State = CallState.Ended;
            _noAnswer?.Dispose();
            _mediaWatch?.Dispose();
        }

        Controller.Forget(this);
        _ = Media.DisposeAsync().AsTask();
        SwitchLog.CallEnded(Controller.Logger, CallerCallId, outcome.ToString(), Media.PacketsRelayed);
        Controller.Records.Write(BuildRecord(outcome, finalStatus, ended: true));
    }

    private CallRecord BuildRecord(CallOutcome outcome, int? finalStatus, bool ended)
    {
        var record = new CallRecord
        {
            Id = Id,
            TenantId = Caller.Device.TenantId,
            SipCallId = CallerCallId,
            Type = CallType.ExtensionToExtension,
            FromParty = CallerUser,
            ToParty = CalleeUser,
            StartedAt = StartedAt,
            AnsweredAt = AnsweredAt,
            EndedAt = ended ? Controller.Time.GetUtcNow() : null,
            Outcome = outcome,
            FinalSipStatus = finalStatus,
        };
        record.Legs.Add(Leg(record, 1, CallerUser, Caller.Flow, CallerAnswer.Media?.Suite));
        if (Answered is { } fork)
        {
            record.Legs.Add(Leg(record, 2, CalleeUser, fork.Connection.Flow, CalleeAnswer?.Media?.Suite));
        }

        return record;
    }

    // The per-leg facts the security statement is made from (DESIGN "Security statement per call type").
    private static CallLegRecord Leg(CallRecord record, int position, string party, SipFlow flow, SrtpSuite? suite) => new()
    {
        CallRecordId = record.Id,
        TenantId = record.TenantId,
        Position = position,
        Kind = LegKind.Handset,
        Party = party,
        DeviceId = flow.Device.DeviceId,
        Transport = SignallingTransport.Tls,
        TlsVersion = flow.TlsVersion,
        TlsCipher = flow.TlsCipher,
        PeerCertificateVerified = true,
        PeerCertificateSubject = flow.Device.Subject,
        PeerMac = flow.Device.Mac,
        PeerVerifiedBy = flow.Device.AnchorName,
        MediaProtection = suite is null ? MediaProtection.None : MediaProtection.Srtp,
        SrtpSuite = suite is { } s ? SrtpSuiteProfile.NameOf(s) : null,
        LeavesNetwork = false,
    };
}
