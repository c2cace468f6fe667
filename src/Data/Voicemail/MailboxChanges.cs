using HostedPbx.Data.Entities;
using HostedPbx.Data.Queries;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Voicemail;

/// <summary>
/// Changes to a mailbox that portal and API make alike. The row is committed first and the file handled after, so a
/// failure never leaves a row pointing at a file that is gone. A change to messages notifies the switch by trigger,
/// which updates the handset's message waiting.
/// </summary>
public static class MailboxChanges
{
    /// <summary>Marks the message deleted and removes its audio.</summary>
    public static async Task DeleteMessageAsync(PbxDbContext db, VoicemailFiles files, VoicemailMessage message, DateTimeOffset now, CancellationToken ct)
    {
        message.Status = VoicemailStatus.Deleted;
        message.DeletedAt = now;
        await db.SaveChangesAsync(ct);
        files.Delete(message.StoragePath);
    }

    /// <summary>
    /// Seals the greeting as a new file and makes it the extension's greeting of that kind, replacing (and removing) the
    /// old one. Whatever fails, no new file stays behind.
    /// </summary>
    public static async Task<VoicemailGreeting> ReplaceGreetingAsync(PbxDbContext db, VoicemailAudio audio, VoicemailFiles files, Extension extension,
        GreetingKind kind, byte[] pcm, DateTimeOffset now, CancellationToken ct)
    {
        var greeting = new VoicemailGreeting
        {
            TenantId = extension.TenantId, ExtensionId = extension.Id, Kind = kind, StoragePath = "", WrappedDataKey = [],
            DurationMs = pcm.Length / 16, UpdatedAt = now,
        };
        greeting.StoragePath = VoicemailFiles.GreetingPath(extension.TenantId, extension.Id, greeting.Id);
        greeting.WrappedDataKey = audio.SealGreeting(greeting, pcm);
        var old = await db.VoicemailGreetings.ForTenant(extension.TenantId).SingleOrDefaultAsync(g => g.ExtensionId == extension.Id && g.Kind == kind, ct);
        try
        {
            // One SaveChanges is one transaction (retried whole by the failover strategy); EF orders the old row's
            // delete before the new row's insert because both hold the unique (extension, kind) index's value.
            if (old is not null)
            {
                db.VoicemailGreetings.Remove(old);
            }

            db.VoicemailGreetings.Add(greeting);
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            files.Delete(greeting.StoragePath);
            throw;
        }

        if (old is not null)
        {
            files.Delete(old.StoragePath);
        }

        return greeting;
    }

    /// <summary>Removes the extension's greeting of that kind (callers then hear the default prompt); false when there was none.</summary>
    public static async Task<bool> RemoveGreetingAsync(PbxDbContext db, VoicemailFiles files, Extension extension, GreetingKind kind, CancellationToken ct)
    {
        var old = await db.VoicemailGreetings.ForTenant(extension.TenantId).SingleOrDefaultAsync(g => g.ExtensionId == extension.Id && g.Kind == kind, ct);
        if (old is null)
        {
            return false;
        }

        db.VoicemailGreetings.Remove(old);
        await db.SaveChangesAsync(ct);
        files.Delete(old.StoragePath);
        return true;
    }
}
