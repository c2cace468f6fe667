using System.ComponentModel.DataAnnotations;
using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HostedPbx.Provisioning.Features.ApiKeys;

/// <summary>Creates a key for the caller's reseller; the secret is in this answer and nowhere else, ever.</summary>
public static class CreateApiKey
{
    public sealed record Request([Required, StringLength(200, MinimumLength = 1)] string Name);

    public sealed record Response(Guid Id, string Name, string Prefix, string Key);

    public static async Task<Created<Response>> HandleAsync(Request request, HttpContext http, PbxDbContext db, TimeProvider time,
        CancellationToken ct)
    {
        var caller = ApiCaller.From(http);
        var now = time.GetUtcNow();
        var (key, secret) = ApiKey.Create(caller.ResellerId, request.Name, now);
        db.ApiKeys.Add(key);
        db.AuditEvents.Add(caller.Audit(now, "api-key.create", "api-key", key.Id, null));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/api-keys/{key.Id}", new Response(key.Id, key.Name, key.Prefix, secret.Plaintext));
    }
}
