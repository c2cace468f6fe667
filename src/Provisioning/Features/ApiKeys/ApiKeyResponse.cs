using System.Linq.Expressions;
using HostedPbx.Data.Entities;

namespace HostedPbx.Provisioning.Features.ApiKeys;

/// <summary>A key as listed: never its secret.</summary>
public sealed record ApiKeyResponse(Guid Id, string Name, string Prefix, Guid? ResellerId, DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public static readonly Expression<Func<ApiKey, ApiKeyResponse>> Projection = k => new ApiKeyResponse(k.Id, k.Name, k.Prefix,
        k.ResellerId, k.CreatedAt, k.LastUsedAt, k.RevokedAt);
}
