using HostedPbx.Provisioning.Security;

namespace HostedPbx.Provisioning.Features.TrustAnchors;

internal static class TrustAnchorEndpoints
{
    /// <summary>Operator only: a reseller's key gets 404 here.</summary>
    public static void MapTrustAnchorsApi(this RouteGroupBuilder api)
    {
        var anchors = api.MapGroup("/trust-anchors").WithTags("Trust anchors").WithMetadata(new OperatorRoute());
        anchors.MapGet("/", ListTrustAnchors.HandleAsync).WithName(nameof(ListTrustAnchors));
        anchors.MapPost("/", ImportTrustAnchor.HandleAsync).WithName(nameof(ImportTrustAnchor));
        anchors.MapPut("/{anchorId:guid}/enabled", SetTrustAnchorEnabled.HandleAsync).WithName(nameof(SetTrustAnchorEnabled));
    }
}
