using System.Text;
using HostedPbx.Data.Entities;

namespace HostedPbx.Switch.Calls;

/// <summary>The call record a call leaves, from its legs' own facts (DESIGN "Security statement per call type").</summary>
internal static class CallFacts
{
    private const int MaxPrintable = 120;

    public static CallRecord Record(Call call, CallOutcome outcome, int? finalStatus, DateTimeOffset? endedAt)
    {
        var record = new CallRecord
        {
            Id = call.Id,
            TenantId = call.TenantId,
            SipCallId = call.CallId,
            Type = CallType.ExtensionToExtension,
            FromParty = call.Caller.Party,
            ToParty = call.Callees.Count > 0 ? call.Callees[0].Party : "",
            StartedAt = call.StartedAt,
            AnsweredAt = call.AnsweredAt,
            EndedAt = endedAt,
            Outcome = outcome,
            FinalSipStatus = finalStatus,
            Recorded = call.Recording is not null,
            RecordingPolicyId = call.RecordingVerdict?.PolicyId,
        };
        if (call.Caller.Describe(record, 1) is { } caller)
        {
            record.Legs.Add(caller);
        }

        if (call.Callee?.Describe(record, 2) is { } callee)
        {
            record.Legs.Add(callee);
        }

        if (call.Recording is not null)
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

    /// <summary>
    /// A peer's words made safe for a log line: bounded, and every control or non-ASCII character escaped, so neither a
    /// 63 KB m= line nor a NUL or a line break from the wire reaches the log as it came.
    /// </summary>
    public static string Printable(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var builder = new StringBuilder(Math.Min(text.Length, MaxPrintable) + 8);
        foreach (var c in text)
        {
            if (builder.Length >= MaxPrintable)
            {
                builder.Append('…');
                break;
            }

            if (c is >= ' ' and <= '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append(@"\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
