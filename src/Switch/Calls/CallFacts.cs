using HostedPbx.Data.Entities;

namespace HostedPbx.Switch.Calls;

/// <summary>The call record a call leaves, from its legs' own facts (DESIGN "Security statement per call type").</summary>
internal static class CallFacts
{
    public static CallRecord Record(Call call, CallOutcome outcome, int? finalStatus, DateTimeOffset? endedAt)
    {
        var record = new CallRecord
        {
            Id = call.Id,
            TenantId = call.TenantId,
            SipCallId = call.CallId,
            Type = call.Callee switch
            {
                // A carrier's call to one of the tenant's numbers (issue 11): inbound PSTN, whoever answers it.
                _ when call.Caller is Trunks.TrunkLeg => CallType.InboundPstn,
                Voicemail.MailboxLeg or Voicemail.RetrievalLeg => CallType.Voicemail,
                Trunks.TrunkLeg => CallType.OutboundPstn,
                _ when call.Callees.Any(c => c is Trunks.TrunkLeg) => CallType.OutboundPstn,
                // Issue 14: the caller came from, or the callee is reached through, another of our switch nodes.
                _ when call.Caller.Kind == LegKind.Node || call.Callee?.Kind == LegKind.Node => CallType.AcrossNodes,
                _ => CallType.ExtensionToExtension,
            },
            Emergency = call.Parties.Concat(call.Callees).Any(c => c is Trunks.TrunkLeg { Emergency: true }),
            FromParty = call.Caller.Party,
            ToParty = call.Dialled,
            StartedAt = call.StartedAt,
            AnsweredAt = call.AnsweredAt,
            EndedAt = endedAt,
            Outcome = outcome,
            FinalSipStatus = finalStatus,
            Recorded = call.Recording is { WasRecorded: true },
            RecordingPolicyId = call.RecordingVerdict?.PolicyId,
        };
        // In order: the caller (1), the callee that answered (2), then each transfer target that took a side (3...).
        var position = 0;
        foreach (var party in call.Parties)
        {
            if (party.Describe(record, ++position) is { } leg)
            {
                record.Legs.Add(leg);
            }
        }

        if (call.Recording is { WasRecorded: true })
        {
            // The recorder sits inside the switch, on the decrypted audio; its party is the policy that started it.
            record.Legs.Add(new CallLegRecord
            {
                CallRecordId = record.Id, TenantId = record.TenantId, Position = 3, Kind = Data.Entities.LegKind.Recorder,
                Party = call.RecordingVerdict?.PolicyName ?? "recording policy", Transport = SignallingTransport.Internal, MediaProtection = MediaProtection.None,
            });
        }

        return record;
    }
}
