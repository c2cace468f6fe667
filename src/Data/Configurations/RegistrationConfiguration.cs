using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class RegistrationConfiguration : IEntityTypeConfiguration<Registration>
{
    public void Configure(EntityTypeBuilder<Registration> builder)
    {
        builder.Property(r => r.ContactUri).HasMaxLength(1000);
        builder.Property(r => r.InstanceId).HasMaxLength(200);
        builder.Property(r => r.SourceAddress).HasMaxLength(64);
        builder.Property(r => r.SwitchNode).HasMaxLength(100);
        builder.Property(r => r.UserAgent).HasMaxLength(200);
        builder.HasIndex(r => new { r.ExtensionId, r.DeviceId, r.ContactUri }).IsUnique();
        builder.HasIndex(r => r.ExpiresAt);
        builder.HasOne<Extension>().WithMany()
            .HasForeignKey(r => new { r.TenantId, r.ExtensionId }).HasPrincipalKey(e => new { e.TenantId, e.Id })
            .OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Device>().WithMany()
            .HasForeignKey(r => new { r.TenantId, r.DeviceId }).HasPrincipalKey(d => new { d.TenantId, d.Id })
            .OnDelete(DeleteBehavior.Cascade);
        builder.ToTable(t => t.HasCheckConstraint("ck_registrations_expiry", "expires_at > registered_at"));
    }
}
