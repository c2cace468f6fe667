using HostedPbx.Data;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HostedPbx.Provisioning.Features.ApiKeys;

public static class ListApiKeys
{
    public static async Task<Ok<Page<ApiKeyResponse>>> HandleAsync([AsParameters] PageRequest paging, HttpContext http, PbxDbContext db,
        CancellationToken ct)
    {
        var caller = ApiCaller.From(http);
        var keys = db.ApiKeys.Where(k => k.ResellerId == caller.ResellerId && k.UserId == null).OrderBy(k => k.CreatedAt).Select(ApiKeyResponse.Projection);
        return TypedResults.Ok(await paging.ToPageAsync(keys, ct));
    }
}
