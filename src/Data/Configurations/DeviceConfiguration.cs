using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class DeviceConfiguration : IEntityTypeConfiguration<Device>
{
    public void Configure(EntityTypeBuilder<Device> builder)
    {
        builder.Property(d => d.Mac).HasMaxLength(12).IsFixedLength();
        builder.Property(d => d.Model).HasMaxLength(100);
        builder.Property(d => d.FactorySerial).HasMaxLength(64);
        builder.HasAlternateKey(d => new { d.TenantId, d.Id });
        // One MAC, one device, across the whole platform.
        builder.HasIndex(d => d.Mac).IsUnique();
        builder.HasOne(d => d.Tenant).WithMany().HasForeignKey(d => d.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(d => d.ActiveCertificate).WithMany().HasForeignKey(d => d.ActiveCertificateId)
            .OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(d => d.Lines).WithOne(l => l.Device)
            .HasForeignKey(l => new { l.TenantId, l.DeviceId }).HasPrincipalKey(d => new { d.TenantId, d.Id })
            .OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(d => d.Certificates).WithOne(c => c.Device)
            .HasForeignKey(c => new { c.TenantId, c.DeviceId }).HasPrincipalKey(d => new { d.TenantId, d.Id })
            .OnDelete(DeleteBehavior.Cascade);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_devices_mac", "mac ~ '^[0-9a-f]{12}$'");
            t.HasCheckConstraint("ck_devices_model", "length(btrim(model)) > 0");
            t.HasCheckConstraint("ck_devices_factory_serial", "factory_serial ~ '^[1-9a-f][0-9a-f]*$'");
        });
    }
}
