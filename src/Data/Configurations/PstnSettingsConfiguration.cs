using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class PstnSettingsConfiguration : IEntityTypeConfiguration<PstnSettings>
{
    public void Configure(EntityTypeBuilder<PstnSettings> builder)
    {
        builder.ToTable("pstn_settings", t =>
        {
            t.HasCheckConstraint("ck_pstn_settings_country", "country ~ '^[A-Z]{2}$'");
            t.HasCheckConstraint("ck_pstn_settings_limits", "max_concurrent_external_calls >= 0 AND max_minutes_per_hour >= 0"
                + " AND max_minutes_per_day >= 0 AND burst_attempts >= 1 AND burst_window_minutes BETWEEN 1 AND 1440");
        });
        builder.HasKey(s => s.TenantId);
        builder.Property(s => s.Country).HasMaxLength(2);
        builder.Property(s => s.SuspensionReason).HasMaxLength(200);
        builder.HasOne<Tenant>().WithOne().HasForeignKey<PstnSettings>(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
