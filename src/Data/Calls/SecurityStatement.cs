using System.Globalization;
using System.Text;
using HostedPbx.Data.Entities;

namespace HostedPbx.Data.Calls;

/// <summary>
/// Turns a call's recorded facts into the plain-language statement a customer reads (shared/DESIGN.md, "Security
/// statement per call type"): what was protected on each leg, where the audio was in the clear, and who could still
/// hear the call. A pure function of the facts: it claims nothing a fact does not show, and says plainly what was not
/// protected.
/// </summary>
public static class SecurityStatement
{
    /// <param name="call">The call with its legs' facts.</param>
    /// <param name="headline">Whether to open with who called whom (a general description of a kind of call has no parties).</param>
    public static string Render(CallRecord call, bool headline = true)
    {
        ArgumentNullException.ThrowIfNull(call);
        // The recorder is a fact about the call, not a party: it has its own sentence, not a leg's.
        var recorder = call.Legs.FirstOrDefault(l => l.Kind == LegKind.Recorder);
        var legs = call.Legs.Where(l => l.Kind != LegKind.Recorder).OrderBy(l => l.Position).ToList();
        var text = new StringBuilder();
        if (headline)
        {
            text.Append(IsRetrieval(call, legs) ? $"Call from extension {call.FromParty} to its own mailbox ({call.ToParty})." : Headline(call)).Append(' ');
        }

        foreach (var leg in legs)
        {
            text.Append(Signalling(leg)).Append(' ');
        }

        var audioFlowed = call.AnsweredAt is not null;
        if (call.Type == CallType.InboundPstn && legs.FirstOrDefault(l => l.Kind == LegKind.Trunk) is { } carrier)
        {
            text.Append(FromTelephoneNetwork(carrier, audioFlowed)).Append(' ');
        }

        if (!audioFlowed)
        {
            text.Append("The call was not answered, so no audio was exchanged. ");
        }
        else
        {
            foreach (var leg in legs)
            {
                text.Append(Media(leg, IsRetrieval(call, legs))).Append(' ');
            }

            if (IsRetrieval(call, legs))
            {
                // Issue 9 item 4: the listener hears stored messages, which the switch decrypts to play them.
                text.Append(legs[0].MediaProtection switch
                {
                    MediaProtection.Srtp => "What you heard was decrypted from storage by our switch and sent to your handset encrypted (SRTP), with keys for this call alone. ",
                    MediaProtection.None => "What you heard was decrypted from storage by our switch and sent to your handset NOT encrypted. ",
                });
            }
            else if (call.Type == CallType.Voicemail)
            {
                // Issue 9 item 7: the far end of a voicemail call is the platform itself.
                text.Append("Your message was encrypted from your handset to our switch; our switch decrypts it and stores it encrypted. ");
            }
            else if (legs.Exists(l => l.Kind == LegKind.Node))
            {
                text.Append("Each of our switch nodes on the way decrypts the audio of each leg and encrypts it again for the next, so inside those switches the audio is in the clear. ");
            }
            else if (legs.Count > 1)
            {
                text.Append("Our switch decrypts the audio of each leg and encrypts it again for the other, so inside the switch the audio is in the clear. ");
            }
        }

        var leaves = legs.Where(l => l.LeavesNetwork).ToList();
        if (leaves.Count > 0)
        {
            text.Append("Beyond our network the call is carried by the public telephone network, which our encryption does not reach. ");
        }

        text.Append(Recording(call, recorder));
        text.Append("Who could still hear this call: ").Append(string.Join("; ", Listeners(call, legs, audioFlowed))).Append('.');
        return text.ToString();
    }

    /// <summary>
    /// Issue 10 item 7: recorded, under which policy, stored encrypted, and who can listen. The recorder leg carries the
    /// policy's name; a recorded call without one (written before recordings had it) says no more than it knows.
    /// </summary>
    private static string Recording(CallRecord call, CallLegRecord? recorder) => (call.Recorded, recorder) switch
    {
        (false, _) => "The call was not recorded. ",
        (true, null) => "The call was recorded; the recording is stored encrypted and your compliance staff can play it, each play being logged. ",
        (true, { } policy) =>
            $"The call was recorded under your policy \"{policy.Party}\". The recording is stored encrypted at rest (AES-256-GCM, with a key of its own wrapped by the platform's master key), "
            + "in a signed chain that shows any deletion or change; your compliance staff can play it, and your reseller and the platform operator only if you granted them access, each play being logged. ",
    };

    private static string Headline(CallRecord call) => call.Type switch
    {
        CallType.ExtensionToExtension => $"Call from extension {call.FromParty} to extension {call.ToParty}, within your organisation.",
        CallType.Voicemail => $"Call from {call.FromParty} to voicemail ({call.ToParty}).",
        CallType.OutboundPstn => $"Call from extension {call.FromParty} to the outside number {call.ToParty}.",
        CallType.InboundPstn => $"Call from the outside number {call.FromParty} to {call.ToParty}.",
        CallType.AcrossNodes => $"Call from extension {call.FromParty} to extension {call.ToParty}, within your organisation, carried between two of our switch nodes.",
    };

    private static string Who(CallLegRecord leg) => leg.Kind switch
    {
        LegKind.Handset => leg.PeerMac is { } mac ? $"the handset of {leg.Party} (MAC {FormatMac(mac)})" : $"the handset of {leg.Party}",
        LegKind.Trunk => $"the telephone carrier's trunk ({leg.Party})",
        LegKind.Voicemail => "the voicemail service",
        LegKind.Recorder => "the recorder",
        LegKind.Node => $"our switch node {leg.Party}",
    };

    /// <summary>
    /// Issue 11: how an inbound call reached us from its carrier, from that leg's own facts, and that the part of the
    /// call before the carrier (the caller's phone and the telephone network) is beyond our protection.
    /// </summary>
    private static string FromTelephoneNetwork(CallLegRecord carrier, bool audioFlowed)
    {
        var connection = carrier.Transport switch
        {
            SignallingTransport.Tls when carrier.PeerCertificateVerified => $"a connection encrypted with {carrier.TlsVersion ?? "TLS"} from a carrier whose certificate we verified",
            SignallingTransport.Tls => $"a connection encrypted with {carrier.TlsVersion ?? "TLS"} from a carrier that did not prove its identity with a certificate",
            SignallingTransport.Tcp or SignallingTransport.Udp or SignallingTransport.Internal => "a connection that was NOT encrypted",
        };
        var audio = !audioFlowed ? ""
            : carrier.MediaProtection switch
            {
                MediaProtection.Srtp => ", its audio encrypted (SRTP) between the carrier and our switch",
                MediaProtection.None => ", its audio NOT encrypted between the carrier and our switch",
            };
        return $"The call from the telephone network reached our switch over {connection}{audio}; beyond the carrier it is not protected by us.";
    }

    private static string Signalling(CallLegRecord leg)
    {
        var who = Who(leg);
        return leg.Transport switch
        {
            SignallingTransport.Internal => $"{Capital(who)} is part of our switch; its signalling does not leave it.",
            SignallingTransport.Tls when leg.PeerCertificateVerified =>
                $"Call set-up with {who} was encrypted ({leg.TlsVersion ?? "TLS"}), and it proved its identity with its own certificate"
                + (leg.PeerVerifiedBy is { } anchor ? $" (issued by {anchor})" : "")
                + (leg.Kind == LegKind.Handset ? ", the one on record for this device." : "."),
            SignallingTransport.Tls =>
                $"Call set-up with {who} was encrypted ({leg.TlsVersion ?? "TLS"}), but it did not prove its identity with a certificate.",
            SignallingTransport.Tcp or SignallingTransport.Udp =>
                $"Call set-up with {who} was NOT encrypted: who called whom, and when, could be read on the network in between.",
        };
    }

    private static string Media(CallLegRecord leg, bool retrieval)
    {
        var who = Who(leg);
        if (leg.Kind == LegKind.Voicemail)
        {
            return retrieval
                ? "Your messages are stored encrypted (AES-256-GCM, each with a key of its own that the platform's master key protects)."
                : "The message is stored encrypted (AES-256-GCM, with a key of its own that the platform's master key protects).";
        }

        return leg.MediaProtection switch
        {
            MediaProtection.Srtp =>
                $"The audio to and from {who} was encrypted (SRTP{(leg.SrtpSuite is { } suite ? ", " + suite : "")}) with keys for this leg alone.",
            MediaProtection.None =>
                $"The audio to and from {who} was NOT encrypted: anyone on the network in between could listen to it.",
        };
    }

    private static IEnumerable<string> Listeners(CallRecord call, List<CallLegRecord> legs, bool audioFlowed)
    {
        if (!audioFlowed)
        {
            yield return "nobody, as no audio was exchanged";
            yield break;
        }

        if (IsRetrieval(call, legs))
        {
            yield return "you, on your handset";
            yield return "the platform operator, who can technically read stored messages and whose switch decrypts them to play them";
        }
        else if (call.Type == CallType.Voicemail)
        {
            yield return "the owner of the mailbox, by phone with the PIN, in the portal or through the API";
            yield return "the platform operator, who can technically read stored messages";
            yield return "whoever receives an e-mail copy: e-mail copies leave our protection when sent";
        }
        else
        {
            yield return "the people on the call";
            yield return legs.Exists(l => l.Kind == LegKind.Node)
                ? "the platform operator, whose switch nodes handle the audio in the clear"
                : "the platform operator, whose switch handles the audio in the clear";
        }

        foreach (var leg in legs.Where(l => l.MediaProtection == MediaProtection.None && l.Transport != SignallingTransport.Internal))
        {
            yield return $"anyone on the network between our switch and {Who(leg)}";
        }

        if (legs.Any(l => l.LeavesNetwork))
        {
            yield return "the telephone carrier and anyone with access to its network";
        }

        if (call.Recorded)
        {
            yield return "your compliance staff, from the recording (and your reseller and the platform operator, if you granted them access)";
        }
    }

    /// <summary>
    /// A voicemail call in which the caller reached its own mailbox by the access number (*97), to listen: the mailbox
    /// leg is the caller's own (same party), and what was dialled is not the mailbox's number (a deposit dials it).
    /// </summary>
    private static bool IsRetrieval(CallRecord call, List<CallLegRecord> legs) =>
        call.Type == CallType.Voicemail
        && legs.Count > 1
        && legs[0].Kind != LegKind.Voicemail
        && legs.FirstOrDefault(l => l.Kind == LegKind.Voicemail) is { } mailbox
        && mailbox.Party == legs[0].Party
        && call.ToParty != mailbox.Party;

    private static string FormatMac(string mac) =>
        mac.Length == 12 ? string.Join(':', Enumerable.Range(0, 6).Select(i => mac.Substring(i * 2, 2))) : mac;

    private static string Capital(string text) =>
        text.Length == 0 ? text : char.ToUpper(text[0], CultureInfo.InvariantCulture) + text[1..];
}
