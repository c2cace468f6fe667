using System.Linq.Expressions;
using HostedPbx.Data.Entities;

namespace HostedPbx.Provisioning.Features.Voicemail;

/// <summary>A message as the API shows it; the audio is at <c>…/voicemail/{id}/audio</c>.</summary>
public sealed record VoicemailMessageResponse(Guid Id, string CallerNumber, string? CallerName, DateTimeOffset ReceivedAt, double DurationSeconds,
    VoicemailStatus Status, DateTimeOffset? HeardAt, bool CutShort)
{
    public static Expression<Func<VoicemailMessage, VoicemailMessageResponse>> Projection { get; } = m =>
        new VoicemailMessageResponse(m.Id, m.CallerNumber, m.CallerName, m.ReceivedAt, m.DurationMs / 1000.0, m.Status, m.HeardAt, m.CutShort);
}
