using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class ExtensionConfiguration : IEntityTypeConfiguration<Extension>
{
    public void Configure(EntityTypeBuilder<Extension> builder)
    {
        builder.Property(e => e.Number).HasMaxLength(8);
        builder.Property(e => e.DisplayName).HasMaxLength(100);
        builder.Property(e => e.VoicemailEmail).HasMaxLength(320);
        builder.Property(e => e.ForwardAlways).HasMaxLength(8);
        builder.Property(e => e.ForwardBusy).HasMaxLength(8);
        builder.Property(e => e.ForwardNoAnswer).HasMaxLength(8);
        builder.Property(e => e.ForwardNoAnswerSeconds).HasDefaultValue(20);
        builder.HasAlternateKey(e => new { e.TenantId, e.Id });
        builder.HasIndex(e => new { e.TenantId, e.Number }).IsUnique();
        builder.HasOne(e => e.Tenant).WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Cascade);
        // The override must be one of the same tenant's policies.
        builder.HasOne(e => e.RecordingPolicy).WithMany()
            .HasForeignKey(e => new { e.TenantId, e.RecordingPolicyId })
            .HasPrincipalKey(p => new { p.TenantId, p.Id })
            .OnDelete(DeleteBehavior.Restrict);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_extensions_number", "number ~ '^[0-9]{2,8}$'");
            t.HasCheckConstraint("ck_extensions_display_name", "length(btrim(display_name)) > 0");
            t.HasCheckConstraint("ck_extensions_digest",
                "NOT sip_digest_required OR (sip_digest_ha1sha256 IS NOT NULL)");
            t.HasCheckConstraint("ck_extensions_forward_no_answer_seconds", "forward_no_answer_seconds BETWEEN 5 AND 120");
            t.HasCheckConstraint("ck_extensions_voicemail_failed_pins", "voicemail_failed_pins >= 0");
        });
    }
}
