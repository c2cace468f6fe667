using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(200);
        builder.Property(t => t.TimeZone).HasMaxLength(64);
        builder.Property(t => t.VoicemailAccessNumber).HasMaxLength(16);
        builder.Property(t => t.VoicemailMaxMessageSeconds).HasDefaultValue(180);
        builder.Property(t => t.RecordingStartStopCode).HasMaxLength(4).HasDefaultValue("*1");
        builder.Property(t => t.RecordingPauseCode).HasMaxLength(4).HasDefaultValue("*2");
        builder.Property(t => t.VoicemailMaxMessages).HasDefaultValue(100);
        builder.HasIndex(t => new { t.ResellerId, t.Name }).IsUnique();
        builder.HasOne(t => t.Reseller).WithMany(r => r.Tenants).HasForeignKey(t => t.ResellerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(t => t.DefaultRecordingPolicy).WithMany().HasForeignKey(t => t.DefaultRecordingPolicyId)
            .OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(t => t.Retention).WithOne().HasForeignKey<RetentionSettings>(r => r.TenantId);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_tenants_name", "length(btrim(name)) > 0");
            t.HasCheckConstraint("ck_tenants_max_extensions", "max_extensions BETWEEN 1 AND 100000");
            t.HasCheckConstraint("ck_tenants_max_concurrent_calls", "max_concurrent_calls BETWEEN 1 AND 10000");
            t.HasCheckConstraint("ck_tenants_suspended_at", "(status = 'Suspended') = (suspended_at IS NOT NULL)");
            t.HasCheckConstraint("ck_tenants_voicemail_access_number", "voicemail_access_number ~ '^[*#0-9]{1,16}$'");
            t.HasCheckConstraint("ck_tenants_recording_codes",
                "recording_start_stop_code ~ '^[*][0-9]{1,3}$' AND recording_pause_code ~ '^[*][0-9]{1,3}$' AND recording_start_stop_code <> recording_pause_code");
            t.HasCheckConstraint("ck_tenants_allowed_srtp_suites", "cardinality(allowed_srtp_suites) > 0");
            t.HasCheckConstraint("ck_tenants_voicemail_max_message_seconds", "voicemail_max_message_seconds BETWEEN 10 AND 3600");
            t.HasCheckConstraint("ck_tenants_voicemail_max_messages", "voicemail_max_messages BETWEEN 1 AND 10000");
        });
    }
}
