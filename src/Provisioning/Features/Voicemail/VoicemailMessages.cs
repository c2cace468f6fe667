using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Queries;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Voicemail;

internal static class VoicemailMessages
{
    /// <summary>A complete, not deleted message of that extension of that tenant; or null.</summary>
    public static Task<VoicemailMessage?> FindAsync(PbxDbContext db, Guid tenantId, Guid extensionId, Guid messageId, CancellationToken ct) =>
        db.VoicemailMessages.ForTenant(tenantId)
            .SingleOrDefaultAsync(m => m.Id == messageId && m.ExtensionId == extensionId && m.Status != VoicemailStatus.Deleted && m.AudioSha256 != null, ct);
}
