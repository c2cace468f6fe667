using System.Linq.Expressions;
using HostedPbx.Data.Entities;

namespace HostedPbx.Provisioning.Features.Extensions;

public sealed record ExtensionResponse(Guid Id, Guid TenantId, string Number, string DisplayName, bool VoicemailEnabled,
    string? VoicemailEmail, bool SipDigestRequired, DateTimeOffset CreatedAt,
    string? ForwardAlways, string? ForwardBusy, string? ForwardNoAnswer, int ForwardNoAnswerSeconds)
{
    public static readonly Expression<Func<Extension, ExtensionResponse>> Projection = e => new ExtensionResponse(e.Id, e.TenantId,
        e.Number, e.DisplayName, e.VoicemailEnabled, e.VoicemailEmail, e.SipDigestRequired, e.CreatedAt,
        e.ForwardAlways, e.ForwardBusy, e.ForwardNoAnswer, e.ForwardNoAnswerSeconds);

    private static readonly Func<Extension, ExtensionResponse> s_from = Projection.Compile();

    public static ExtensionResponse From(Extension e) => s_from(e);
}
