using System.Net;
using System.Security.Claims;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Tenancy;

namespace HostedPbx.Provisioning.Security;

/// <summary>
/// Who is calling the management API: one API key, acting for a reseller, for the operator, or (a personal key) for one
/// compliance officer of one tenant, reaching only that tenant's recordings.
/// </summary>
public sealed record ApiCaller(Guid KeyId, string KeyName, Guid? ResellerId, IPAddress? SourceAddress, Guid? UserId = null, string? UserName = null,
    Guid? TenantId = null)
{
    public const string KeyIdClaim = "hostedpbx:api-key";
    public const string ResellerClaim = "hostedpbx:reseller";
    public const string OperatorRole = "operator";
    public const string UserClaim = "hostedpbx:user";
    public const string UserNameClaim = "hostedpbx:user-name";
    public const string TenantClaim = "hostedpbx:tenant";

    public bool IsOperator => ResellerId is null && UserId is null;

    /// <summary>A compliance officer's personal key.</summary>
    public bool IsPersonal => UserId is not null;

    /// <summary>The role the recording rule (<see cref="Data.Recordings.RecordingListening"/>) sees this key as.</summary>
    public PortalRole Role => IsPersonal ? PortalRole.ComplianceOfficer : IsOperator ? PortalRole.Operator : PortalRole.ResellerAdmin;

    public DbScope Scope => (ResellerId, TenantId) switch
    {
        ({ } reseller, _) => DbScope.ForReseller(reseller),
        (null, { } tenant) => DbScope.ForTenant(tenant),
        (null, null) => DbScope.Operator,
    };

    public static bool IsPersonalKey(ClaimsPrincipal user) => user.FindFirstValue(UserClaim) is not null;

    public static ApiCaller From(HttpContext context)
    {
        var user = context.User;
        var reseller = user.FindFirstValue(ResellerClaim);
        var userId = user.FindFirstValue(UserClaim);
        var tenant = user.FindFirstValue(TenantClaim);
        return new ApiCaller(Guid.Parse(user.FindFirstValue(KeyIdClaim)!), user.Identity?.Name ?? "api key",
            reseller is null ? null : Guid.Parse(reseller), context.Connection.RemoteIpAddress,
            userId is null ? null : Guid.Parse(userId), user.FindFirstValue(UserNameClaim), tenant is null ? null : Guid.Parse(tenant));
    }

    /// <summary>An audit event with this caller as the actor: a personal key names its user (and the key).</summary>
    public AuditEvent Audit(DateTimeOffset now, string action, string targetKind, Guid targetId, Guid? tenantId,
        AuditOutcome outcome = AuditOutcome.Success, string? reason = null) => new()
    {
        OccurredAt = now, ResellerId = ResellerId, TenantId = tenantId, ActorKind = AuditActorKind.ApiKey,
        ActorId = UserId is { } user ? $"{user:D} (key {KeyId:D})" : KeyId.ToString(),
        ActorName = UserName ?? KeyName, Action = action, TargetKind = targetKind,
        TargetId = targetId.ToString(), Outcome = outcome, Reason = reason, SourceAddress = SourceAddress,
    };
}
