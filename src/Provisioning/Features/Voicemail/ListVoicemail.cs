using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Voicemail;

/// <summary>An extension's mailbox, newest first, with its counts of new and saved messages (as message waiting shows them).</summary>
public static class ListVoicemail
{
    public sealed record Response(int New, int Saved, IReadOnlyList<VoicemailMessageResponse> Messages);

    public static async Task<Results<Ok<Response>, NotFound<ProblemDetails>>> HandleAsync(Guid tenantId, Guid extensionId, PbxDbContext db,
        CancellationToken ct)
    {
        if (!await db.Extensions.ForTenant(tenantId).AnyAsync(e => e.Id == extensionId, ct))
        {
            return ApiErrors.NotFound("extension");
        }

        // A message whose audio the switch is still writing (no SHA-256 yet) is not listed until it is complete.
        var messages = await db.VoicemailMessages.AsNoTracking().ForTenant(tenantId)
            .Where(m => m.ExtensionId == extensionId && m.Status != VoicemailStatus.Deleted && m.AudioSha256 != null)
            .OrderByDescending(m => m.ReceivedAt).Select(VoicemailMessageResponse.Projection).ToListAsync(ct);
        return TypedResults.Ok(new Response(messages.Count(m => m.Status == VoicemailStatus.New), messages.Count(m => m.Status == VoicemailStatus.Saved),
            messages));
    }
}
