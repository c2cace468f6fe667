using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Queries;
using HostedPbx.Data.Voicemail;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Voicemail;

/// <summary>
/// A greeting uploaded as the request body (a WAV file at any common rate, width and channel count), converted to
/// 8 kHz mono 16-bit and sealed. Not audio, too long or too large is refused naming the field; nothing is written then.
/// </summary>
public static class UploadGreeting
{
    private const string Field = "Greeting";

    public static async Task<Results<Ok<VoicemailSettingsResponse.Greeting>, NotFound<ProblemDetails>, ValidationProblem>> HandleAsync(
        Guid tenantId, Guid extensionId, GreetingKind kind, HttpContext http, PbxDbContext db, VoicemailAudio audio, VoicemailFiles files,
        TimeProvider time, CancellationToken ct)
    {
        var extension = await db.Extensions.ForTenant(tenantId).SingleOrDefaultAsync(e => e.Id == extensionId, ct);
        if (extension is null)
        {
            return ApiErrors.NotFound("extension");
        }

        var body = await ReadBodyAsync(http.Request, ct);
        var now = time.GetUtcNow();
        var caller = ApiCaller.From(http);
        byte[] pcm = [];
        var problem = body is null ? $"The greeting is too large: at most {GreetingUpload.MaxBytes / (1024 * 1024)} MB." : GreetingUpload.Convert(body, out pcm);
        if (problem is not null)
        {
            db.AuditEvents.Add(caller.Audit(now, "voicemail.greeting.upload", "extension", extensionId, tenantId, AuditOutcome.Denied, problem));
            await db.SaveChangesAsync(ct);
            return ApiErrors.Invalid(Field, problem);
        }

        db.AuditEvents.Add(caller.Audit(now, "voicemail.greeting.upload", "extension", extensionId, tenantId, reason: kind.ToString()));
        var greeting = await MailboxChanges.ReplaceGreetingAsync(db, audio, files, extension, kind, pcm, now, ct);
        return TypedResults.Ok(new VoicemailSettingsResponse.Greeting(greeting.Kind, greeting.DurationMs / 1000.0, greeting.UpdatedAt));
    }

    /// <summary>The body, or null when it is larger than a greeting may be (chunked bodies included).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > GreetingUpload.MaxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > GreetingUpload.MaxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
