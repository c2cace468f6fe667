using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class VoicemailGreetingConfiguration : IEntityTypeConfiguration<VoicemailGreeting>
{
    public void Configure(EntityTypeBuilder<VoicemailGreeting> builder)
    {
        builder.Property(g => g.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(g => g.StoragePath).HasMaxLength(500);
        builder.HasIndex(g => g.StoragePath).IsUnique();
        builder.HasIndex(g => new { g.ExtensionId, g.Kind }).IsUnique();
        builder.HasOne(g => g.Extension).WithMany()
            .HasForeignKey(g => new { g.TenantId, g.ExtensionId }).HasPrincipalKey(e => new { e.TenantId, e.Id })
            .OnDelete(DeleteBehavior.Cascade);
        builder.ToTable(t => t.HasCheckConstraint("ck_voicemail_greetings_duration", "duration_ms >= 0"));
    }
}
