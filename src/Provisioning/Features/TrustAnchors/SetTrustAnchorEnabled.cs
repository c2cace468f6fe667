using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.TrustAnchors;

/// <summary>Disables a vendor CA (its handsets are refused from then on) or enables it again.</summary>
public static class SetTrustAnchorEnabled
{
    public sealed record Request(bool Enabled);

    public static async Task<Results<NoContent, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> HandleAsync(Guid anchorId, Request request,
        HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        var anchor = await db.TrustAnchors.SingleOrDefaultAsync(a => a.Id == anchorId, ct);
        if (anchor is null)
        {
            return ApiErrors.NotFound("trust anchor");
        }

        if (anchor.Kind != TrustAnchorKind.Vendor)
        {
            return ApiErrors.Conflict("The platform's own CAs cannot be disabled here.");
        }

        anchor.Enabled = request.Enabled;
        db.AuditEvents.Add(ApiCaller.From(http).Audit(time.GetUtcNow(), request.Enabled ? "trust-anchor.enable" : "trust-anchor.disable",
            "trust-anchor", anchorId, null));
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
