using System.Globalization;
using Hangfire;
using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Media;
using HostedPbx.Data.Tenancy;
using HostedPbx.Data.Voicemail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace HostedPbx.Web.Jobs;

/// <summary>
/// E-mails one message to its extension's address: a notice (caller, time, length, a link to the portal), with the
/// audio attached when the tenant chooses so. Idempotent: the row is locked while sending and marked when sent, so a
/// second job for the same message sends nothing. A failed send throws, and Hangfire tries again later.
/// </summary>
public sealed class VoicemailEmailJob(IDbContextFactory<PbxDbContext> factory, VoicemailMailer mailer, VoicemailAudio audio,
    IOptions<VoicemailMailOptions> options, TimeProvider time, ILogger<VoicemailEmailJob> logger)
{
    [AutomaticRetry(Attempts = 5)]
    public async Task RunAsync(Guid messageId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        db.UseScope(DbScope.System);
        // The lock, the send and the mark are one transaction, run whole again by the failover strategy if the
        // database goes away mid-way (the mail may then go twice; it is never lost).
        var attached = false;
        var sent = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Another job for this message holds the row while it sends: this one has nothing to do.
            var message = await db.VoicemailMessages
                .FromSql($"SELECT * FROM voicemail_messages WHERE id = {messageId} FOR UPDATE SKIP LOCKED").SingleOrDefaultAsync(ct);
            if (message is null || message.EmailedAt is not null || message.Status == VoicemailStatus.Deleted || message.AudioSha256 is null)
            {
                return false;
            }

            var extension = await db.Extensions.AsNoTracking().SingleAsync(e => e.Id == message.ExtensionId, ct);
            var tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == message.TenantId, ct);
            if (extension.VoicemailEmail is null)
            {
                return false;
            }

            await using var wav = tenant.VoicemailEmailIncludesAudio ? OpenAudio(message) : null;
            await mailer.SendAsync(Compose(message, extension, wav), ct);
            attached = wav is not null;
            var now = time.GetUtcNow();
            message.EmailedAt = now;
            db.AuditEvents.Add(new AuditEvent
            {
                OccurredAt = now, TenantId = message.TenantId, ActorKind = AuditActorKind.System, ActorId = nameof(VoicemailEmailJob),
                ActorName = "voicemail e-mail", Action = "voicemail.email", TargetKind = "voicemail", TargetId = messageId.ToString(),
                Outcome = AuditOutcome.Success, Reason = wav is null ? "notice" : "notice with the audio attached",
            });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return true;
        });
        if (sent)
        {
            JobLog.VoicemailEmailed(logger, messageId, attached);
        }
    }

    /// <summary>The audio, or null (a notice only) when it fails verification: altered audio is never sent.</summary>
    private Stream? OpenAudio(VoicemailMessage message)
    {
        try
        {
            return audio.OpenVerifiedWav(message);
        }
        catch (SealedAudioException)
        {
            JobLog.VoicemailAudioRefused(logger, message.Id);
            return null;
        }
    }

    private MimeMessage Compose(VoicemailMessage message, Extension extension, Stream? wav)
    {
        var caller = string.IsNullOrWhiteSpace(message.CallerName) ? message.CallerNumber : $"{message.CallerName} ({message.CallerNumber})";
        var length = TimeSpan.FromMilliseconds(message.DurationMs).ToString(@"m\:ss", CultureInfo.InvariantCulture);
        var link = $"{options.Value.PortalUrl.TrimEnd('/')}/tenants/{message.TenantId:D}/extensions/{message.ExtensionId:D}/voicemail";
        var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(options.Value.From));
        mail.To.Add(MailboxAddress.Parse(extension.VoicemailEmail!));
        mail.Subject = $"New voicemail for {extension.Number} from {caller} ({length})";
        var body = new BodyBuilder
        {
            TextBody = string.Create(CultureInfo.InvariantCulture, $"""
                New voicemail for extension {extension.Number} ({extension.DisplayName}).

                From:     {caller}
                Received: {message.ReceivedAt:yyyy-MM-dd HH:mm:ss} UTC
                Length:   {length}{(message.CutShort ? " (cut short)" : "")}

                Listen in the portal: {link}

                The message is stored encrypted on the platform. {(wav is null
                    ? "This e-mail carries no audio."
                    : "The audio attached to this e-mail has left the platform's protection: anyone who can read this e-mail can hear it.")}
                """),
        };
        if (wav is not null)
        {
            body.Attachments.Add($"voicemail-{message.ReceivedAt:yyyyMMdd-HHmmss}.wav", wav, new ContentType("audio", "wav"));
        }

        mail.Body = body.ToMessageBody();
        return mail;
    }
}
