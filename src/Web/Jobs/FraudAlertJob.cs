using System.Globalization;
using Hangfire;
using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace HostedPbx.Web.Jobs;

/// <summary>
/// Every minute: each tenant whose outbound calls the burst rule suspended, and whose admins were not told yet
/// (<see cref="PstnSettings.AlertedAt"/> is null), gets one e-mail per tenant admin and per user of its reseller, naming
/// the tenant, when and why, and where to lift it. The row is locked while sending and marked when sent, in one
/// transaction: a restart or a second copy of Web neither loses the alert nor sends it twice once it is marked (a crash
/// between the send and the mark sends it again, as for voicemail: an alert is never lost).
/// </summary>
public sealed class FraudAlertJob(IDbContextFactory<PbxDbContext> factory, VoicemailMailer mailer, IOptions<VoicemailMailOptions> options,
    TimeProvider time, ILogger<FraudAlertJob> logger)
{
    private const int Batch = 100;

    // The next run (a minute later) is the retry; Hangfire's own retries would only overlap it.
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(CancellationToken ct)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        List<Guid> due;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            db.UseScope(DbScope.System);
            due = await db.PstnSettings.AsNoTracking().Where(s => s.OutboundSuspendedAt != null && s.AlertedAt == null)
                .OrderBy(s => s.OutboundSuspendedAt).Select(s => s.TenantId).Take(Batch).ToListAsync(ct);
        }

        foreach (var tenantId in due)
        {
            try
            {
                await AlertAsync(tenantId, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One relay failure must not keep the other tenants' alerts back; this one is tried on the next run.
                JobLog.FraudAlertFailed(logger, ex, tenantId);
            }
        }
    }

    /// <summary>Alerts one tenant's suspension, if it is still suspended and not alerted yet; returns how many were e-mailed.</summary>
    public async Task<int> AlertAsync(Guid tenantId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        db.UseScope(DbScope.System);
        var sent = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Another run holds the row while it sends: this one has nothing to do.
            var settings = await db.PstnSettings
                .FromSql($"SELECT * FROM pstn_settings WHERE tenant_id = {tenantId} FOR UPDATE SKIP LOCKED").SingleOrDefaultAsync(ct);
            if (settings is not { OutboundSuspendedAt: { } suspendedAt, AlertedAt: null })
            {
                return 0;
            }

            var tenant = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => new { t.Name, t.ResellerId }).SingleAsync(ct);
            var recipients = await db.Users.AsNoTracking()
                .Where(u => u.Email != null && ((u.Role == PortalRole.TenantAdmin && u.TenantId == tenantId)
                    || (u.Role == PortalRole.ResellerAdmin && u.ResellerId == tenant.ResellerId)))
                .OrderBy(u => u.Email).Select(u => u.Email!).Distinct().ToListAsync(ct);
            foreach (var address in recipients)
            {
                await mailer.SendAsync(Compose(address, tenantId, tenant.Name, suspendedAt, settings.SuspensionReason), ct);
            }

            var now = time.GetUtcNow();
            settings.AlertedAt = now;
            db.AuditEvents.Add(new AuditEvent
            {
                OccurredAt = now, ResellerId = tenant.ResellerId, TenantId = tenantId, ActorKind = AuditActorKind.System, ActorId = nameof(FraudAlertJob),
                ActorName = "fraud alert e-mail", Action = "pstn.outbound-suspend.alert", TargetKind = "tenant", TargetId = tenantId.ToString(),
                Outcome = AuditOutcome.Success,
                Reason = recipients.Count == 0 ? "no tenant admin or reseller user has an e-mail address" : $"e-mailed {recipients.Count} recipient(s)",
            });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return recipients.Count;
        });
        if (sent > 0)
        {
            JobLog.FraudAlerted(logger, tenantId, sent);
        }

        return sent;
    }

    private MimeMessage Compose(string address, Guid tenantId, string tenantName, DateTimeOffset suspendedAt, string? reason)
    {
        var link = $"{options.Value.PortalUrl.TrimEnd('/')}/tenants/{tenantId:D}/fraud";
        var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(options.Value.From));
        mail.To.Add(MailboxAddress.Parse(address));
        mail.Subject = $"Outbound calls of {tenantName} suspended by the toll-fraud guard";
        mail.Body = new TextPart("plain")
        {
            Text = string.Create(CultureInfo.InvariantCulture, $"""
                The toll-fraud guard suspended the outbound calls of {tenantName}.

                When:   {suspendedAt:yyyy-MM-dd HH:mm:ss} UTC
                Why:    {reason ?? "burst of international attempts"}

                Emergency numbers still go through; every other outside call is refused until an admin lifts the
                suspension. If these calls were not your users', a handset or its account may be in the wrong hands:
                check the refused calls and the audit log before lifting it.

                Review and lift it in the portal: {link}
                """),
        };
        return mail;
    }
}
