using HostedPbx.Data;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.ApiKeys;

public static class RevokeApiKey
{
    public static async Task<Results<NoContent, NotFound<ProblemDetails>>> HandleAsync(Guid keyId, HttpContext http, PbxDbContext db,
        TimeProvider time, CancellationToken ct)
    {
        var caller = ApiCaller.From(http);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.ResellerId == caller.ResellerId && k.UserId == null, ct);
        if (key is null)
        {
            return ApiErrors.NotFound("API key");
        }

        var now = time.GetUtcNow();
        key.Revoke(now);
        db.AuditEvents.Add(caller.Audit(now, "api-key.revoke", "api-key", key.Id, null));
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
