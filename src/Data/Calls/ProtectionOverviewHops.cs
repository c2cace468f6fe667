using HostedPbx.Data.Entities;

namespace HostedPbx.Data.Calls;

/// <summary>
/// The hops of a call, drawn from the same record <see cref="SecurityStatement"/> words, so the picture cannot say more
/// than the statement: a hop is encrypted only where its leg's facts say both the set-up (TLS) and the audio (SRTP)
/// were, and nothing beyond a carrier is ever drawn encrypted, because our encryption ends there.
/// </summary>
public static class ProtectionOverviewHops
{
    public const string Switch = "our switch";
    public const string FarParty = "the far party";

    public static IReadOnlyList<ProtectionOverviewHop> Of(CallRecord call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var legs = call.Legs.Where(l => l.Kind != LegKind.Recorder).OrderBy(l => l.Position).ToList();
        var hops = new List<ProtectionOverviewHop>();
        if (legs.Count > 0)
        {
            // The first leg leads in to the switch: its stops in reverse (the far party, then the carrier).
            hops.AddRange(Outward(legs[0]).Reverse().Select(h => h with { From = h.To, To = h.From }));
        }

        foreach (var leg in legs.Skip(1))
        {
            hops.AddRange(Outward(leg));
        }

        if (call.Recorded)
        {
            hops.Add(new(Switch, "the recorder", true, "stored encrypted (AES-256-GCM)",
                "keys: one per recording, under the master key", Branch: true));
        }

        return hops;
    }

    // A leg's stops going out from the switch.
    private static IEnumerable<ProtectionOverviewHop> Outward(CallLegRecord leg)
    {
        switch (leg.Kind)
        {
            case LegKind.Handset:
                yield return Wire(leg, "the handset of " + leg.Party, $"the handset and {Switch}");
                break;
            case LegKind.Trunk:
                var carrier = $"carrier {leg.Party}";
                yield return Wire(leg, carrier, $"{Switch} and the carrier");
                // Issue 11 item 4: beyond the carrier the call is on the telephone network, which our encryption does not reach.
                yield return new(carrier, FarParty, false, "NOT protected by us (the public telephone network)", "keys: none of ours; the carrier's network carries it");
                break;
            case LegKind.Voicemail:
                yield return new(Switch, "the mailbox", true, "stored encrypted (AES-256-GCM)", "keys: a key per message, wrapped by the platform's master key");
                break;
            case LegKind.Node:
                yield return Wire(leg, "our switch node " + leg.Party, "our two switch nodes");
                break;
            case LegKind.Recorder:
                break;
        }
    }

    private static ProtectionOverviewHop Wire(CallLegRecord leg, string to, string keyHolders)
    {
        var setUp = leg.Transport == SignallingTransport.Tls;
        var audio = leg.MediaProtection == MediaProtection.Srtp;
        if (setUp && audio)
        {
            var verified = leg.PeerCertificateVerified ? "" : ", its identity not proven by certificate";
            return new(Switch, to, true, $"encrypted ({leg.TlsVersion ?? "TLS"} set-up, SRTP audio{verified})", $"keys: {keyHolders}, for this call alone");
        }

        var plain = (setUp, audio) switch
        {
            (false, false) => "set-up and audio",
            (false, true) => "set-up (its audio keys travel in it)",
            (true, false) => "audio",
            (true, true) => throw new System.Diagnostics.UnreachableException(),
        };
        return new(Switch, to, false, $"NOT encrypted: {plain} in the clear", "keys: none that protect it; anyone on the network in between can listen");
    }
}
