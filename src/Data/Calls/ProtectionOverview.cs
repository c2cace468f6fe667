using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;

namespace HostedPbx.Data.Calls;

/// <summary>
/// "How your calls are protected": for each kind of call a tenant can make today, the statement its calls will carry,
/// made by <see cref="SecurityStatement"/> itself from the facts such a call would have under the tenant's settings.
/// One function says what is protected, for past calls and for this page alike, and the page's picture of each kind
/// (<see cref="ProtectionOverviewHops"/>) is drawn from the very record the words come from.
/// </summary>
public static class ProtectionOverview
{
    /// <summary>One kind of call, what it would be told, and its hops to draw: both from the one exemplar record.</summary>
    public sealed record Entry(string Title, string Statement, IReadOnlyList<ProtectionOverviewHop> Hops)
    {
        public static Entry Of(string title, CallRecord exemplar) =>
            new(title, SecurityStatement.Render(exemplar, headline: false), ProtectionOverviewHops.Of(exemplar));
    }

    public static IReadOnlyList<Entry> For(Tenant tenant, RecordingPolicy? defaultPolicy, IReadOnlyList<Trunk> trunks)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(trunks);
        var suites = tenant.AllowedSrtpSuites.Length == 0 ? Tenant.DefaultSrtpSuites : tenant.AllowedSrtpSuites;
        // The weakest suite the tenant allows is the least a call can get: never promise more than that.
        var weakest = suites[^1];
        var entries = new List<Entry>
        {
            Entry.Of("Calls between your extensions", Exemplar(CallType.ExtensionToExtension,
                defaultPolicy is { Mode: RecordingMode.Always }, Handset(1, "the caller", weakest), Handset(2, "the person called", weakest))),
        };
        foreach (var trunk in trunks.Where(t => t.Enabled))
        {
            var endpoint = TrunkEndpoint.Of(trunk);
            var carrier = new CallLegRecord
            {
                Position = 2, Kind = LegKind.Trunk, Party = trunk.Name,
                Transport = endpoint.Transport switch
                {
                    TrunkTransport.Tls => SignallingTransport.Tls,
                    TrunkTransport.Tcp => SignallingTransport.Tcp,
                    TrunkTransport.Udp => SignallingTransport.Udp,
                },
                TlsVersion = endpoint.Transport == TrunkTransport.Tls ? "TLS" : null,
                PeerCertificateVerified = endpoint.IsVerifiedTls,
                // Only a trunk that requires SRTP promises it; one that merely prefers it may fall back to plain RTP.
                MediaProtection = endpoint.SrtpMode == SrtpMode.Required ? MediaProtection.Srtp : MediaProtection.None,
                LeavesNetwork = true,
            };
            var recorded = (trunk.RecordingPolicy ?? defaultPolicy)?.Mode is RecordingMode.Always or RecordingMode.ExternalOnly;
            entries.Add(Entry.Of($"Calls with outside numbers through {trunk.Name}", Exemplar(
                CallType.OutboundPstn, recorded, Handset(1, "your extension", weakest), carrier)));
        }

        // A message left for an extension: the switch's mailbox stores it (issue 9); never recorded as a call.
        entries.Add(Entry.Of("Messages left in voicemail", Exemplar(CallType.Voicemail, false, Handset(1, "the caller", weakest), new CallLegRecord
        {
            Position = 2, Kind = LegKind.Voicemail, Party = "the extension called", Transport = SignallingTransport.Internal,
            MediaProtection = MediaProtection.None,
        })));

        return entries;
    }

    private static CallRecord Exemplar(CallType type, bool recorded, params CallLegRecord[] legs)
    {
        var call = new CallRecord
        {
            SipCallId = "example", Type = type, FromParty = "", ToParty = "", Recorded = recorded,
            StartedAt = DateTimeOffset.UnixEpoch, AnsweredAt = DateTimeOffset.UnixEpoch, EndedAt = DateTimeOffset.UnixEpoch,
            Outcome = CallOutcome.Answered,
        };
        call.Legs.AddRange(legs);
        return call;
    }

    private static CallLegRecord Handset(int position, string party, string suite) => new()
    {
        Position = position, Kind = LegKind.Handset, Party = party, Transport = SignallingTransport.Tls, TlsVersion = "TLS 1.2 or 1.3",
        PeerCertificateVerified = true, PeerVerifiedBy = "the platform's device CA or its maker's", MediaProtection = MediaProtection.Srtp,
        SrtpSuite = suite,
    };
}
