using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Media;
using HostedPbx.Data.Queries;
using HostedPbx.Data.Voicemail;
using HostedPbx.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Web.Features.Voicemail;

/// <summary>
/// A message's audio for the portal's player and its download link, as a plain GET (a circuit cannot stream a file):
/// decrypted as it streams, never to disk, with range requests so the player can seek. Every request is an audit event
/// (a listen, or a download with <c>?download=true</c>); audio that fails verification is refused, never played.
/// </summary>
public static class VoicemailAudioEndpoint
{
    public static string PathFor(Guid tenantId, Guid messageId, bool download = false) =>
        $"/voicemail-audio/{tenantId:D}/{messageId:D}{(download ? "?download=true" : "")}";

    public static IEndpointRouteBuilder MapVoicemailAudio(this IEndpointRouteBuilder app)
    {
        app.MapGet("/voicemail-audio/{tenantId:guid}/{messageId:guid}", HandleAsync).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> HandleAsync(Guid tenantId, Guid messageId, bool? download, HttpContext http,
        IDbContextFactory<PbxDbContext> factory, VoicemailAudio audio, TimeProvider time, CancellationToken ct)
    {
        var caller = PortalCaller.From(http.User);
        if (caller is null || !caller.May(PortalAction.ManageVoicemail))
        {
            return TypedResults.NotFound("No such message.");
        }

        await using var db = await factory.CreateAsync(caller);
        var message = await db.VoicemailMessages.ForTenant(tenantId)
            .SingleOrDefaultAsync(m => m.Id == messageId && m.Status != VoicemailStatus.Deleted && m.AudioSha256 != null, ct);
        if (message is null)
        {
            return TypedResults.NotFound("No such message.");
        }

        var now = time.GetUtcNow();
        var action = download == true ? "voicemail.download" : "voicemail.listen";
        Stream wav;
        try
        {
            wav = audio.OpenVerifiedWav(message);
        }
        catch (SealedAudioException e)
        {
            db.AuditEvents.Add(caller.Audit(now, action, "voicemail", messageId, tenantId, http.Connection.RemoteIpAddress, AuditOutcome.Failed, e.Message));
            await db.SaveChangesAsync(ct);
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Audio failed verification",
                detail: "This message's audio failed verification (it is damaged or was altered), so it is not played.");
        }

        db.AuditEvents.Add(caller.Audit(now, action, "voicemail", messageId, tenantId, http.Connection.RemoteIpAddress));
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

        return TypedResults.File(wav, "audio/wav", download == true ? $"voicemail-{message.ReceivedAt:yyyyMMdd-HHmmss}.wav" : null,
            enableRangeProcessing: true);
    }
}
