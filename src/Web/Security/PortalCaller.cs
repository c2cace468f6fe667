using System.Net;
using System.Security.Claims;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Tenancy;

namespace HostedPbx.Web.Security;

/// <summary>The signed-in portal user as the pages see it: the role fixes the database scope and what the nav offers.</summary>
public sealed record PortalCaller(Guid UserId, string Name, PortalRole Role, Guid? ResellerId, Guid? TenantId)
{
    public const string ResellerClaim = "hostedpbx:reseller";
    public const string TenantClaim = "hostedpbx:tenant";

    public DbScope Scope => Role switch
    {
        PortalRole.Operator => DbScope.Operator,
        PortalRole.ResellerAdmin => DbScope.ForReseller(ResellerId!.Value),
        PortalRole.TenantAdmin or PortalRole.ComplianceOfficer => DbScope.ForTenant(TenantId!.Value),
    };

    public bool IsOperator => Role == PortalRole.Operator;

    /// <summary>Resellers and the operator create tenants; tenant staff only see their own.</summary>
    public bool ManagesTenants => Role is PortalRole.Operator or PortalRole.ResellerAdmin;

    /// <summary>Whether this caller may act on that tenant (the database's policies say the same a second time).</summary>
    public bool MayOpen(Guid tenantId, Guid tenantResellerId) => Role switch
    {
        PortalRole.Operator => true,
        PortalRole.ResellerAdmin => tenantResellerId == ResellerId,
        PortalRole.TenantAdmin or PortalRole.ComplianceOfficer => tenantId == TenantId,
    };

    /// <summary>
    /// The role matrix of docs/roles.md, checked in code at every page action it names (the database's scope is the
    /// second wall). A compliance officer sees calls and the audit trail but never holds a handset's key: issuing or
    /// downloading one would let them impersonate the handset.
    /// Recordings (view, export) are open to every role here; whether the caller may listen to a given tenant's is the
    /// one rule <see cref="Data.Recordings.RecordingListening"/>, asked as well. Personal API keys are the compliance
    /// officer's alone, and only the tenant admin grants listening (the operator does not grant itself). Legal holds are
    /// placed and lifted by the compliance officer, the reseller and the operator, not the tenant admin (as in the API).
    /// Carriers are the operator's alone; a tenant's trunks, numbers and routes are managed by the operator and the
    /// tenant's reseller, as in the API.
    /// </summary>
    public bool May(PortalAction action) => (action, Role) switch
    {
        (PortalAction.ManagePersonalApiKeys, _) => Role == PortalRole.ComplianceOfficer,
        (PortalAction.GrantRecordingListening, _) => Role == PortalRole.TenantAdmin,
        (PortalAction.ManageLegalHolds, _) => Role != PortalRole.TenantAdmin,
        (PortalAction.ViewRecordings or PortalAction.ExportRecordings, _) => true,
        (_, PortalRole.Operator) => true,
        // Issue 11, as the API: carriers are the operator's; a tenant's trunks, numbers and routes its reseller's too.
        (PortalAction.ManageCarriers, _) => false,
        (PortalAction.ManagePstn, _) => Role == PortalRole.ResellerAdmin,
        (PortalAction.ManageTrustAnchors or PortalAction.ViewJobs, _) => false,
        (PortalAction.ViewTenants or PortalAction.ViewCalls or PortalAction.ViewLiveCalls or PortalAction.ViewAuditLog, _) => true,
        (PortalAction.ManageTenants or PortalAction.ManageApiKeys, PortalRole.ResellerAdmin) => true,
        (PortalAction.ManageTenants or PortalAction.ManageApiKeys, _) => false,
        (_, PortalRole.ResellerAdmin or PortalRole.TenantAdmin) => true,
        (_, PortalRole.ComplianceOfficer) => false,
    };

    public static PortalCaller? From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true
            || !Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            || !Enum.TryParse<PortalRole>(user.FindFirstValue(ClaimTypes.Role), out var role))
        {
            return null;
        }

        return new PortalCaller(id, user.Identity.Name ?? "", role, ParseGuid(user.FindFirstValue(ResellerClaim)),
            ParseGuid(user.FindFirstValue(TenantClaim)));
    }

    public AuditEvent Audit(DateTimeOffset now, string action, string targetKind, Guid targetId, Guid? tenantId,
        IPAddress? source = null, AuditOutcome outcome = AuditOutcome.Success, string? reason = null) => new()
    {
        OccurredAt = now, ResellerId = ResellerId, TenantId = tenantId, ActorKind = AuditActorKind.PortalUser,
        ActorId = UserId.ToString(), ActorName = Name, Action = action, TargetKind = targetKind,
        TargetId = targetId.ToString(), Outcome = outcome, Reason = reason, SourceAddress = source,
    };

    private static Guid? ParseGuid(string? value) => Guid.TryParse(value, out var id) ? id : null;
}
