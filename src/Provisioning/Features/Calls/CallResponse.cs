using System.Linq.Expressions;
using HostedPbx.Data.Entities;

namespace HostedPbx.Provisioning.Features.Calls;

/// <summary>A call with each leg's security facts and the plain-language statement made from them.</summary>
public sealed record CallResponse(Guid Id, Guid TenantId, CallType Type, string From, string To, DateTimeOffset StartedAt,
    DateTimeOffset? AnsweredAt, DateTimeOffset? EndedAt, CallOutcome Outcome, int? FinalSipStatus, bool Recorded,
    string? SecurityStatement, IReadOnlyList<CallResponse.Leg> Legs)
{
    public sealed record Leg(int Position, LegKind Kind, string Party, SignallingTransport Transport, string? TlsVersion, string? TlsCipher,
        bool PeerCertificateVerified, string? PeerCertificateSubject, string? PeerMac, string? PeerVerifiedBy, MediaProtection MediaProtection,
        string? SrtpSuite, bool LeavesNetwork);

    public static readonly Expression<Func<CallRecord, CallResponse>> Projection = c => new CallResponse(c.Id, c.TenantId, c.Type,
        c.FromParty, c.ToParty, c.StartedAt, c.AnsweredAt, c.EndedAt, c.Outcome, c.FinalSipStatus, c.Recorded, c.SecurityStatement,
        c.Legs.OrderBy(l => l.Position).Select(l => new Leg(l.Position, l.Kind, l.Party, l.Transport, l.TlsVersion, l.TlsCipher,
            l.PeerCertificateVerified, l.PeerCertificateSubject, l.PeerMac, l.PeerVerifiedBy, l.MediaProtection, l.SrtpSuite,
            l.LeavesNetwork)).ToList());
}
