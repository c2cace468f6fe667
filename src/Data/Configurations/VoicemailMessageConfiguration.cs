using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class VoicemailMessageConfiguration : IEntityTypeConfiguration<VoicemailMessage>
{
    public void Configure(EntityTypeBuilder<VoicemailMessage> builder)
    {
        builder.Property(m => m.CallerNumber).HasMaxLength(100);
        builder.Property(m => m.CallerName).HasMaxLength(100);
        builder.Property(m => m.StoragePath).HasMaxLength(500);
        builder.Property(m => m.AudioSha256).HasMaxLength(64).IsFixedLength();
        builder.HasIndex(m => m.StoragePath).IsUnique();
        builder.HasIndex(m => new { m.ExtensionId, m.ReceivedAt });
        builder.HasOne(m => m.Extension).WithMany()
            .HasForeignKey(m => new { m.TenantId, m.ExtensionId }).HasPrincipalKey(e => new { e.TenantId, e.Id })
            .OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<CallRecord>().WithMany()
            .HasForeignKey(m => new { m.TenantId, m.CallRecordId }).HasPrincipalKey(c => new { c.TenantId, c.Id })
            .OnDelete(DeleteBehavior.Restrict);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_voicemail_messages_deleted", "(status = 'Deleted') = (deleted_at IS NOT NULL)");
            t.HasCheckConstraint("ck_voicemail_messages_duration", "duration_ms >= 0");
        });
    }
}
