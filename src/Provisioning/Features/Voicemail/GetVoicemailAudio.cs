using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Media;
using HostedPbx.Data.Voicemail;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace HostedPbx.Provisioning.Features.Voicemail;

/// <summary>
/// The message as WAV, decrypted as it streams (never to disk), with range requests. Every request is an audit event;
/// audio that fails verification is refused with a problem, never served.
/// </summary>
public static class GetVoicemailAudio
{
    public static async Task<Results<FileStreamHttpResult, NotFound<ProblemDetails>, ProblemHttpResult>> HandleAsync(Guid tenantId, Guid extensionId,
        Guid messageId, HttpContext http, PbxDbContext db, VoicemailAudio audio, TimeProvider time, CancellationToken ct)
    {
        var message = await VoicemailMessages.FindAsync(db, tenantId, extensionId, messageId, ct);
        if (message is null)
        {
            return ApiErrors.NotFound("voicemail message");
        }

        var now = time.GetUtcNow();
        var caller = ApiCaller.From(http);
        Stream wav;
        try
        {
            wav = audio.OpenVerifiedWav(message);
        }
        catch (SealedAudioException e)
        {
            db.AuditEvents.Add(caller.Audit(now, "voicemail.download", "voicemail", messageId, tenantId, AuditOutcome.Failed, e.Message));
            await db.SaveChangesAsync(ct);
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Audio failed verification",
                detail: "The message's audio failed verification (it is damaged or was altered), so it is not served.");
        }

        db.AuditEvents.Add(caller.Audit(now, "voicemail.download", "voicemail", messageId, tenantId));
        if (message.Status == VoicemailStatus.New)
        {
            message.Status = VoicemailStatus.Saved;
            message.HeardAt = now;
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            await wav.DisposeAsync();
            throw;
        }

        return TypedResults.File(wav, "audio/wav", $"voicemail-{message.ReceivedAt:yyyyMMdd-HHmmss}-{messageId:N}.wav", enableRangeProcessing: true);
    }
}
