using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class LegalHoldConfiguration : IEntityTypeConfiguration<LegalHold>
{
    public void Configure(EntityTypeBuilder<LegalHold> builder)
    {
        builder.Property(h => h.Scope).HasConversion<string>().HasMaxLength(20);
        builder.Property(h => h.Reason).HasMaxLength(500);
        builder.Property(h => h.PlacedBy).HasMaxLength(200);
        builder.Property(h => h.LiftedBy).HasMaxLength(200);
        builder.Property(h => h.LiftReason).HasMaxLength(500);
        builder.HasIndex(h => new { h.TenantId, h.LiftedAt });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(h => h.TenantId).OnDelete(DeleteBehavior.Cascade);
        // A hold names objects of its own tenant only (composite keys: another tenant's extension or recording cannot be named).
        builder.HasOne<Extension>().WithMany()
            .HasForeignKey(h => new { h.TenantId, h.ExtensionId }).HasPrincipalKey(e => new { e.TenantId, e.Id })
            .OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Recording>().WithMany()
            .HasForeignKey(h => new { h.TenantId, h.RecordingId }).HasPrincipalKey(r => new { r.TenantId, r.Id })
            .OnDelete(DeleteBehavior.Restrict);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_legal_holds_target",
                "(scope = 'Tenant' AND extension_id IS NULL AND recording_id IS NULL)"
                + " OR (scope = 'Extension' AND extension_id IS NOT NULL AND recording_id IS NULL)"
                + " OR (scope = 'Recording' AND recording_id IS NOT NULL AND extension_id IS NULL)");
            t.HasCheckConstraint("ck_legal_holds_lifted", "(lifted_at IS NULL) = (lifted_by IS NULL)");
        });
    }
}
