using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class RetentionSettingsConfiguration : IEntityTypeConfiguration<RetentionSettings>
{
    public void Configure(EntityTypeBuilder<RetentionSettings> builder)
    {
        builder.HasKey(r => r.TenantId);
        builder.Property(r => r.LegalHoldReason).HasMaxLength(500);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_retention_settings_days",
                "recording_days BETWEEN 1 AND 3650 AND voicemail_days BETWEEN 1 AND 3650 AND call_record_days BETWEEN 1 AND 3650");
            t.HasCheckConstraint("ck_retention_settings_legal_hold",
                "NOT legal_hold OR (legal_hold_reason IS NOT NULL AND legal_hold_since IS NOT NULL)");
        });
    }
}
