using HostedPbx.Data;
using HostedPbx.Data.Voicemail;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace HostedPbx.Provisioning.Features.Voicemail;

/// <summary>Marks the message deleted and removes its audio; the handset's message waiting follows (trigger).</summary>
public static class DeleteVoicemail
{
    public static async Task<Results<NoContent, NotFound<ProblemDetails>>> HandleAsync(Guid tenantId, Guid extensionId, Guid messageId,
        HttpContext http, PbxDbContext db, VoicemailFiles files, TimeProvider time, CancellationToken ct)
    {
        var message = await VoicemailMessages.FindAsync(db, tenantId, extensionId, messageId, ct);
        if (message is null)
        {
            return ApiErrors.NotFound("voicemail message");
        }

        var now = time.GetUtcNow();
        db.AuditEvents.Add(ApiCaller.From(http).Audit(now, "voicemail.delete", "voicemail", messageId, tenantId));
        await MailboxChanges.DeleteMessageAsync(db, files, message, now, ct);
        return TypedResults.NoContent();
    }
}
