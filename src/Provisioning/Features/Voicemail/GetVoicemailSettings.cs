using HostedPbx.Data;
using HostedPbx.Data.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Voicemail;

public static class GetVoicemailSettings
{
    public static async Task<Results<Ok<VoicemailSettingsResponse>, NotFound<ProblemDetails>>> HandleAsync(Guid tenantId, Guid extensionId,
        PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        var extension = await db.Extensions.AsNoTracking().ForTenant(tenantId).SingleOrDefaultAsync(e => e.Id == extensionId, ct);
        if (extension is null)
        {
            return ApiErrors.NotFound("extension");
        }

        var greetings = await db.VoicemailGreetings.AsNoTracking().ForTenant(tenantId).Where(g => g.ExtensionId == extensionId).ToListAsync(ct);
        return TypedResults.Ok(VoicemailSettingsResponse.From(extension, greetings, time.GetUtcNow()));
    }
}
