using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class DeviceLineConfiguration : IEntityTypeConfiguration<DeviceLine>
{
    public void Configure(EntityTypeBuilder<DeviceLine> builder)
    {
        builder.HasKey(l => new { l.DeviceId, l.Position });
        builder.HasIndex(l => new { l.DeviceId, l.ExtensionId }).IsUnique();
        // Both ends carry the tenant, so a device can only be bound to its own tenant's extensions.
        builder.HasOne(l => l.Extension).WithMany()
            .HasForeignKey(l => new { l.TenantId, l.ExtensionId }).HasPrincipalKey(e => new { e.TenantId, e.Id })
            .OnDelete(DeleteBehavior.Cascade);
        builder.ToTable(t => t.HasCheckConstraint("ck_device_lines_position", "position BETWEEN 1 AND 64"));
    }
}
