using System.Linq.Expressions;
using HostedPbx.Data.Entities;

namespace HostedPbx.Provisioning.Features.Tenants;

public sealed record TenantResponse(Guid Id, Guid ResellerId, string Name, TenantStatus Status, int MaxExtensions,
    int MaxConcurrentCalls, string TimeZone, string VoicemailAccessNumber, string[] AllowedSrtpSuites, DateTimeOffset CreatedAt)
{
    public static readonly Expression<Func<Tenant, TenantResponse>> Projection = t => new TenantResponse(t.Id, t.ResellerId, t.Name,
        t.Status, t.MaxExtensions, t.MaxConcurrentCalls, t.TimeZone, t.VoicemailAccessNumber, t.AllowedSrtpSuites, t.CreatedAt);

    private static readonly Func<Tenant, TenantResponse> s_from = Projection.Compile();

    public static TenantResponse From(Tenant t) => s_from(t);
}
