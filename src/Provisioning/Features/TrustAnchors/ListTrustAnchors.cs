using HostedPbx.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.TrustAnchors;

public static class ListTrustAnchors
{
    public static async Task<Ok<List<TrustAnchorResponse>>> HandleAsync(PbxDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await db.TrustAnchors.AsNoTracking().OrderBy(a => a.Kind).ThenBy(a => a.Name).Select(TrustAnchorResponse.Projection).ToListAsync(ct));
}
