using System.Net;
using System.Security.Claims;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Tenancy;

namespace HostedPbx.Provisioning.Security;

/// <summary>Who is calling the management API: one API key, acting for a reseller or for the operator.</summary>
public sealed record ApiCaller(Guid KeyId, string KeyName, Guid? ResellerId, IPAddress? SourceAddress)
{
    public const string KeyIdClaim = "hostedpbx:api-key";
    public const string ResellerClaim = "hostedpbx:reseller";
    public const string OperatorRole = "operator";

    public bool IsOperator => ResellerId is null;

    public DbScope Scope => ResellerId is { } reseller ? DbScope.ForReseller(reseller) : DbScope.Operator;

    public static ApiCaller From(HttpContext context)
    {
        var user = context.User;
        var reseller = user.FindFirstValue(ResellerClaim);
        return new ApiCaller(Guid.Parse(user.FindFirstValue(KeyIdClaim)!), user.Identity?.Name ?? "api key",
            reseller is null ? null : Guid.Parse(reseller), context.Connection.RemoteIpAddress);
    }

    /// <summary>An audit event with this caller as the actor.</summary>
    public AuditEvent Audit(DateTimeOffset now, string action, string targetKind, Guid targetId, Guid? tenantId,
        AuditOutcome outcome = AuditOutcome.Success, string? reason = null) => new()
    {
        OccurredAt = now, ResellerId = ResellerId, TenantId = tenantId, ActorKind = AuditActorKind.ApiKey,
        ActorId = KeyId.ToString(), ActorName = KeyName, Action = action, TargetKind = targetKind,
        TargetId = targetId.ToString(), Outcome = outcome, Reason = reason, SourceAddress = SourceAddress,
    };
}
