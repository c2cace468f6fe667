using System.Buffers.Binary;
using System.Security.Cryptography;
using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Media;
using HostedPbx.Data.Voicemail;
using HostedPbx.Switch.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.Calls.Voicemail;

/// <summary>
/// The mailboxes' rows and sealed files, as the switch's role writes them: a message's row is inserted when its
/// recording starts (SHA-256 null while it is written) and completed at its end; a message a crash left open is
/// completed at the next start up to its last whole segment. Each file has its own data key, wrapped by the master
/// key for that message alone (<see cref="KeyPurpose.Voicemail"/>).
/// </summary>
internal sealed class MailboxStore(IDbContextFactory<PbxDbContext> contexts, KeyProtector keys, string root, TimeProvider time, ILogger logger)
{
    public string Root { get; } = root;

    /// <summary>The tenant's limits for the mailbox of <paramref name="extensionId"/>, and its recorded greeting when it has one.</summary>
    public async Task<MailboxSettings> SettingsAsync(Guid tenantId, Guid extensionId, GreetingKind kind, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var tenant = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId)
            .Select(t => new { t.VoicemailMaxMessageSeconds, t.VoicemailMaxMessages }).SingleAsync(cancellationToken);
        var kept = await db.VoicemailMessages.CountAsync(m => m.ExtensionId == extensionId && m.Status != VoicemailStatus.Deleted, cancellationToken);
        var greeting = await db.VoicemailGreetings.AsNoTracking().Where(g => g.ExtensionId == extensionId && g.Kind == kind)
            .Select(g => new { g.Id, g.StoragePath, g.WrappedDataKey }).FirstOrDefaultAsync(cancellationToken);
        var samples = greeting is null ? null : ReadGreeting(greeting.Id, greeting.StoragePath, greeting.WrappedDataKey);
        return new MailboxSettings(TimeSpan.FromSeconds(tenant.VoicemailMaxMessageSeconds), kept >= tenant.VoicemailMaxMessages, samples);
    }

    /// <summary>Inserts the row of a message about to be recorded, with its wrapped data key; the caller writes the file.</summary>
    public async Task<MessageFile> BeginAsync(
        Guid tenantId, Guid extensionId, Guid callRecordId, string callerNumber, string? callerName, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        var dataKey = SealedAudio.NewDataKey();
        var relative = Data.Voicemail.VoicemailFiles.MessagePath(tenantId, extensionId, id);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.VoicemailMessages.Add(new VoicemailMessage
        {
            Id = id,
            TenantId = tenantId,
            ExtensionId = extensionId,
            CallerNumber = callerNumber,
            CallerName = callerName,
            ReceivedAt = time.GetUtcNow(),
            StoragePath = relative,
            WrappedDataKey = keys.Protect(dataKey, KeyPurpose.Voicemail(id)),
        });
        await db.SaveChangesAsync(cancellationToken);
        SwitchLog.MessageStarted(logger, id, callRecordId);
        return new MessageFile(id, Path.Combine(Root, relative), dataKey);
    }

    /// <summary>The message is whole: its length and the SHA-256 of its audio make it visible as a new message.</summary>
    public async Task CompleteAsync(Guid messageId, Guid callRecordId, SealedAudioSummary summary, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.VoicemailMessages.Where(m => m.Id == messageId).ExecuteUpdateAsync(
            s => s.SetProperty(m => m.DurationMs, (int)summary.Duration.TotalMilliseconds)
                .SetProperty(m => m.AudioSha256, summary.Sha256Hex)
                .SetProperty(m => m.CutShort, summary.CutShort)
                // The call's record is written apart from the call; the message names it only once it is there.
                .SetProperty(m => m.CallRecordId, m => db.CallRecords.Any(c => c.Id == callRecordId && c.TenantId == m.TenantId) ? callRecordId : (Guid?)null),
            cancellationToken);
        SwitchLog.MessageCompleted(logger, messageId, (int)summary.Duration.TotalMilliseconds);
    }

    /// <summary>
    /// A message not worth keeping (silence under two seconds): its file goes, and its row is marked deleted (the
    /// switch's role may not delete rows; no one lists a deleted message).
    /// </summary>
    public async Task DropAsync(MessageFile message, CancellationToken cancellationToken)
    {
        File.Delete(message.Path);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.VoicemailMessages.Where(m => m.Id == message.Id).ExecuteUpdateAsync(
            s => s.SetProperty(m => m.Status, VoicemailStatus.Deleted).SetProperty(m => m.DeletedAt, time.GetUtcNow()), cancellationToken);
        SwitchLog.MessageDropped(logger, message.Id);
    }

    /// <summary>
    /// At start: every message still being written when the switch stopped is sealed after its last whole segment
    /// and completed, marked cut short; one whose file never came to be is marked deleted.
    /// </summary>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var open = await db.VoicemailMessages.Where(m => m.AudioSha256 == null && m.Status != VoicemailStatus.Deleted)
            .Select(m => new { m.Id, m.StoragePath, m.WrappedDataKey }).ToListAsync(cancellationToken);
        foreach (var message in open)
        {
            var path = Path.Combine(Root, message.StoragePath);
            if (!File.Exists(path))
            {
                await db.VoicemailMessages.Where(m => m.Id == message.Id).ExecuteUpdateAsync(
                    s => s.SetProperty(m => m.Status, VoicemailStatus.Deleted).SetProperty(m => m.DeletedAt, time.GetUtcNow()), cancellationToken);
                continue;
            }

            var dataKey = keys.Unprotect(message.WrappedDataKey, KeyPurpose.Voicemail(message.Id));
            try
            {
                var summary = SealedAudio.Recover(path, dataKey);
                await db.VoicemailMessages.Where(m => m.Id == message.Id).ExecuteUpdateAsync(
                    s => s.SetProperty(m => m.DurationMs, (int)summary.Duration.TotalMilliseconds)
                        .SetProperty(m => m.AudioSha256, summary.Sha256Hex)
                        .SetProperty(m => m.CutShort, true),
                    cancellationToken);
                SwitchLog.MessageRecovered(logger, message.Id, (int)summary.Duration.TotalMilliseconds);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(dataKey);
            }
        }

        return open.Count;
    }

    /// <summary>New and old (saved) messages of a mailbox, for message waiting; a message still being written is not counted.</summary>
    public async Task<MessageWaiting> CountAsync(Guid extensionId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var counts = await db.VoicemailMessages.Where(m => m.ExtensionId == extensionId && m.AudioSha256 != null && m.Status != VoicemailStatus.Deleted)
            .GroupBy(m => m.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        return new MessageWaiting(
            counts.Where(c => c.Status == VoicemailStatus.New).Sum(c => c.Count), counts.Where(c => c.Status == VoicemailStatus.Saved).Sum(c => c.Count));
    }

    /// <summary>Five wrong PINs in a row lock a mailbox (issue 9 item 4)...</summary>
    public const int PinAttempts = 5;

    /// <summary>...for this long; the lock is in the extension's row, so another node or a restart keeps it.</summary>
    public static readonly TimeSpan LockOut = TimeSpan.FromMinutes(15);

    /// <summary>The mailbox of <paramref name="extensionId"/> as the access number opens it; null when the extension is gone.</summary>
    public async Task<MailboxAccess?> AccessAsync(Guid tenantId, Guid extensionId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Extensions.AsNoTracking().Where(e => e.Id == extensionId && e.TenantId == tenantId)
            .Select(e => new MailboxAccess(e.VoicemailEnabled, e.VoicemailPinHash, e.VoicemailLockedUntil, e.Tenant!.VoicemailPinlessFromOwnDevice))
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Counts a wrong PIN in the extension's row, in one statement (two nodes counting at once both count); the fifth
    /// in a row locks the mailbox and starts the count again. Returns the lock's end when this one locked it.
    /// </summary>
    public async Task<DateTimeOffset?> PinFailedAsync(Guid extensionId, CancellationToken cancellationToken)
    {
        var until = time.GetUtcNow() + LockOut;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var locked = await db.Database.SqlQuery<DateTimeOffset?>($"""
            UPDATE extensions SET
                voicemail_locked_until = CASE WHEN voicemail_failed_pins + 1 >= {PinAttempts} THEN {until} ELSE voicemail_locked_until END,
                voicemail_failed_pins = CASE WHEN voicemail_failed_pins + 1 >= {PinAttempts} THEN 0 ELSE voicemail_failed_pins + 1 END
            WHERE id = {extensionId}
            RETURNING CASE WHEN voicemail_failed_pins = 0 THEN voicemail_locked_until END AS "Value"
            """).ToListAsync(cancellationToken);
        return locked.FirstOrDefault();
    }

    /// <summary>The right PIN: the count of wrong ones starts again.</summary>
    public async Task PinAcceptedAsync(Guid extensionId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Extensions.Where(e => e.Id == extensionId && e.VoicemailFailedPins != 0)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.VoicemailFailedPins, 0), cancellationToken);
    }

    /// <summary>A new PIN set from the phone (already checked by <see cref="Data.Voicemail.VoicemailPin"/>); the lock-out count starts again.</summary>
    public async Task SetPinAsync(Guid extensionId, string pinHash, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Extensions.Where(e => e.Id == extensionId).ExecuteUpdateAsync(
            s => s.SetProperty(e => e.VoicemailPinHash, pinHash).SetProperty(e => e.VoicemailFailedPins, 0).SetProperty(e => e.VoicemailLockedUntil, (DateTimeOffset?)null),
            cancellationToken);
    }

    /// <summary>The whole messages of a mailbox in <paramref name="status"/> (new, or saved), oldest first.</summary>
    public async Task<List<StoredMessage>> ListAsync(Guid extensionId, VoicemailStatus status, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.VoicemailMessages.AsNoTracking()
            .Where(m => m.ExtensionId == extensionId && m.Status == status && m.AudioSha256 != null)
            .OrderBy(m => m.ReceivedAt).ThenBy(m => m.Id)
            .Select(m => new StoredMessage(m.Id, m.Status, m.StoragePath, m.WrappedDataKey, m.AudioSha256!))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// A message's audio as 8 kHz samples, only once every segment authenticated and the audio's SHA-256 matched its
    /// row; null (and logged) for one that fails, which is then never played.
    /// </summary>
    public short[]? ReadMessage(StoredMessage message)
    {
        byte[]? dataKey = null;
        try
        {
            dataKey = keys.Unprotect(message.WrappedDataKey, KeyPurpose.Voicemail(message.Id));
            using var reader = SealedAudioReader.Open(Path.Combine(Root, message.StoragePath), dataKey);
            if (reader.Format != AudioFormat.Mono8k || !string.Equals(reader.ComputeSha256Hex(), message.AudioSha256, StringComparison.OrdinalIgnoreCase))
            {
                SwitchLog.MessageUnplayable(logger, message.Id, "the audio does not match its SHA-256");
                return null;
            }

            return ReadSamples(reader);
        }
        catch (Exception ex) when (ex is IOException or KeyProtectionException or UnauthorizedAccessException)
        {
            SwitchLog.MessageUnplayable(logger, message.Id, ex.Message);
            return null;
        }
        finally
        {
            if (dataKey is not null)
            {
                CryptographicOperations.ZeroMemory(dataKey);
            }
        }
    }

    /// <summary>A new message was played: it is heard now, and counts as old (RFC 3842 §5.2) from here on.</summary>
    public async Task MarkHeardAsync(Guid messageId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.VoicemailMessages.Where(m => m.Id == messageId && m.Status == VoicemailStatus.New).ExecuteUpdateAsync(
            s => s.SetProperty(m => m.Status, VoicemailStatus.Saved).SetProperty(m => m.HeardAt, time.GetUtcNow()), cancellationToken);
    }

    /// <summary>Deleted from the phone: the row is marked deleted first, then the audio goes (as portal and API delete).</summary>
    public async Task DeleteAsync(StoredMessage message, CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            await db.VoicemailMessages.Where(m => m.Id == message.Id).ExecuteUpdateAsync(
                s => s.SetProperty(m => m.Status, VoicemailStatus.Deleted).SetProperty(m => m.DeletedAt, time.GetUtcNow()), cancellationToken);
        }

        File.Delete(Path.Combine(Root, message.StoragePath));
    }

    /// <summary>
    /// A greeting recorded by phone becomes the extension's greeting of <paramref name="kind"/> through the one store
    /// function portal and API use (<see cref="MailboxChanges.ReplaceGreetingAsync"/>), with its audit event in the same commit.
    /// </summary>
    public async Task ReplaceGreetingAsync(Guid tenantId, Guid extensionId, GreetingKind kind, byte[] pcm, MailboxCaller caller, CancellationToken cancellationToken)
    {
        var files = new VoicemailFiles(Root);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var extension = await db.Extensions.AsNoTracking().SingleAsync(e => e.Id == extensionId && e.TenantId == tenantId, cancellationToken);
        db.AuditEvents.Add(ByPhone(caller, tenantId, extensionId, "voicemail.greeting.record", $"{kind}, {pcm.Length / 16} ms"));
        await MailboxChanges.ReplaceGreetingAsync(db, new VoicemailAudio(files, keys), files, extension, kind, pcm, time.GetUtcNow(), cancellationToken);
    }

    /// <summary>The recorded greeting of <paramref name="kind"/> goes (callers hear the default again); false when there was none.</summary>
    public async Task<bool> RemoveGreetingAsync(Guid tenantId, Guid extensionId, GreetingKind kind, MailboxCaller caller, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var extension = await db.Extensions.AsNoTracking().SingleAsync(e => e.Id == extensionId && e.TenantId == tenantId, cancellationToken);
        db.AuditEvents.Add(ByPhone(caller, tenantId, extensionId, "voicemail.greeting.delete", kind.ToString()));
        return await MailboxChanges.RemoveGreetingAsync(db, new VoicemailFiles(Root), extension, kind, cancellationToken);
    }

    // The actor is the extension, by phone from its handset (whose certificate named it).
    private AuditEvent ByPhone(MailboxCaller caller, Guid tenantId, Guid extensionId, string action, string reason) => new()
    {
        OccurredAt = time.GetUtcNow(),
        TenantId = tenantId,
        ActorKind = AuditActorKind.Device,
        ActorId = caller.DeviceId.ToString(),
        ActorName = $"extension {caller.Number} by phone ({caller.Mac})",
        Action = action,
        TargetKind = "extension",
        TargetId = extensionId.ToString(),
        Outcome = AuditOutcome.Success,
        Reason = reason,
        SourceAddress = caller.Source,
    };

    // A recorded greeting is read whole (it is short) into 8 kHz samples; one the switch cannot read is not played.
    private short[]? ReadGreeting(Guid id, string relative, byte[] wrapped)
    {
        byte[]? dataKey = null;
        try
        {
            dataKey = keys.Unprotect(wrapped, KeyPurpose.VoicemailGreeting(id));
            using var reader = SealedAudioReader.Open(Path.Combine(Root, relative), dataKey);
            if (reader.Format != AudioFormat.Mono8k)
            {
                SwitchLog.GreetingUnusable(logger, id, "not 8 kHz mono");
                return null;
            }

            return ReadSamples(reader);
        }
        catch (Exception ex) when (ex is IOException or KeyProtectionException or UnauthorizedAccessException)
        {
            SwitchLog.GreetingUnusable(logger, id, ex.Message);
            return null;
        }
        finally
        {
            if (dataKey is not null)
            {
                CryptographicOperations.ZeroMemory(dataKey);
            }
        }
    }

    private static short[] ReadSamples(SealedAudioReader reader)
    {
        using var pcm = reader.OpenPcm();
        var bytes = new byte[reader.PcmLength];
        pcm.ReadExactly(bytes);
        var samples = new short[bytes.Length / 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(i * 2));
        }

        return samples;
    }
}
