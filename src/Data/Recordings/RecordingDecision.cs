using HostedPbx.Data.Entities;

namespace HostedPbx.Data.Recordings;

/// <summary>
/// Which recording policy applies to a call, as a pure function of the policies in force (issue 10 item 1): a trunk's
/// override first, then each party extension's own override or else the tenant's default. When the parties' policies
/// differ, the one that records wins (a recorded line records every call it is on), and among those the first party's.
/// </summary>
public static class RecordingDecision
{
    /// <summary>
    /// Decides from <paramref name="tenantDefault"/>, each extension party's own policy in <paramref name="partyOverrides"/>
    /// (caller first, null where it has none), the <paramref name="trunkOverride"/> when the call crosses a trunk, and
    /// whether the call is <paramref name="external"/> (through the public network).
    /// </summary>
    public static RecordingVerdict Decide(
        RecordingPolicyChoice? tenantDefault, IReadOnlyList<RecordingPolicyChoice?> partyOverrides, RecordingPolicyChoice? trunkOverride, bool external)
    {
        ArgumentNullException.ThrowIfNull(partyOverrides);
        var candidates = new List<RecordingPolicyChoice>();
        if (trunkOverride is not null)
        {
            candidates.Add(trunkOverride);
        }

        foreach (var party in partyOverrides)
        {
            if ((party ?? tenantDefault) is { } effective)
            {
                candidates.Add(effective);
            }
        }

        if (candidates.Count == 0 && tenantDefault is not null)
        {
            candidates.Add(tenantDefault);
        }

        if (candidates.Count == 0)
        {
            return RecordingVerdict.None;
        }

        var chosen = candidates.FirstOrDefault(p => Records(p.Mode, external))
            ?? candidates.FirstOrDefault(p => p.Mode == RecordingMode.OnDemand)
            ?? candidates[0];
        var recordNow = Records(chosen.Mode, external);
        return new RecordingVerdict(chosen.Id, chosen.Name, chosen.Mode, recordNow, chosen.Announce && (recordNow || chosen.Mode == RecordingMode.OnDemand));
    }

    private static bool Records(RecordingMode mode, bool external) => mode switch
    {
        RecordingMode.Always => true,
        RecordingMode.ExternalOnly => external,
        RecordingMode.OnDemand or RecordingMode.Never => false,
    };
}
