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
            ToParty = call.Dialled,
            StartedAt = call.StartedAt,
            AnsweredAt = call.AnsweredAt,
            EndedAt = endedAt,
            Outcome = outcome,
            FinalSipStatus = finalStatus,
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
