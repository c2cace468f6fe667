using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class RecordingConfiguration : IEntityTypeConfiguration<Recording>
{
    public void Configure(EntityTypeBuilder<Recording> builder)
    {
        builder.Property(r => r.StoragePath).HasMaxLength(500);
        builder.Property(r => r.AudioSha256).HasMaxLength(64).IsFixedLength();
        builder.Property(r => r.ManifestSha256).HasMaxLength(64).IsFixedLength();
        builder.Property(r => r.PreviousManifestSha256).HasMaxLength(64).IsFixedLength();
        builder.HasIndex(r => r.StoragePath).IsUnique();
        builder.HasIndex(r => r.ManifestSha256).IsUnique();
        // The manifest chain cannot fork: each manifest is followed by at most one.
        builder.HasIndex(r => new { r.TenantId, r.PreviousManifestSha256 }).IsUnique();
        builder.HasIndex(r => new { r.TenantId, r.StartedAt });
        builder.HasIndex(r => new { r.TenantId, r.ChainIndex }).IsUnique();
        builder.HasOne<RecordingSigningKey>().WithMany().HasForeignKey(r => r.SigningKeyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(r => r.CallRecord).WithMany()
            .HasForeignKey(r => new { r.TenantId, r.CallRecordId }).HasPrincipalKey(c => new { c.TenantId, c.Id })
            .OnDelete(DeleteBehavior.Restrict);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_recordings_complete",
                "status <> 'Complete' OR (ended_at IS NOT NULL AND audio_sha256 IS NOT NULL AND manifest_sha256 IS NOT NULL)");
            t.HasCheckConstraint("ck_recordings_deleted", "(status = 'Deleted') = (deleted_at IS NOT NULL)");
            t.HasCheckConstraint("ck_recordings_sizes", "size_bytes >= 0 AND duration_ms >= 0 AND dropped_ms >= 0");
            t.HasCheckConstraint("ck_recordings_signed",
                "status <> 'Complete' OR (manifest IS NOT NULL AND manifest_signature IS NOT NULL AND signing_key_id IS NOT NULL AND chain_index IS NOT NULL)");
        });
    }
}
