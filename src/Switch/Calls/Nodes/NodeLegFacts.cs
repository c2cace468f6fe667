using HostedPbx.Data.Entities;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Media.Srtp;
using HostedPbx.Switch.Sip.Transport;

namespace HostedPbx.Switch.Calls.Nodes;

/// <summary>
/// The facts of a node leg for the call record (issue 14): the other node by name, the TLS of the connection between the
/// two nodes and the node certificate that proved it, and the SRTP of the media between them. It never leaves our network.
/// </summary>
internal static class NodeLegFacts
{
    public static CallLegRecord Describe(CallRecord record, int position, SipConnection connection, NegotiationResult? media)
    {
        var peer = connection.Peer?.Current;
        var suite = media?.Media?.Suite;
        return new CallLegRecord
        {
            CallRecordId = record.Id,
            TenantId = record.TenantId,
            Position = position,
            Kind = HostedPbx.Data.Entities.LegKind.Node,
            Party = peer?.Name ?? "another switch node",
            Transport = SignallingTransport.Tls,
            TlsVersion = connection.TlsVersion,
            TlsCipher = connection.TlsCipher,
            PeerCertificateVerified = peer?.CertificateVerified ?? false,
            PeerCertificateSubject = peer?.Subject,
            PeerVerifiedBy = peer?.VerifiedBy,
            MediaProtection = suite is null ? MediaProtection.None : MediaProtection.Srtp,
            SrtpSuite = suite is { } s ? SrtpSuiteProfile.NameOf(s) : null,
            LeavesNetwork = false,
        };
    }
}
