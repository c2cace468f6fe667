using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class CarrierConfiguration : IEntityTypeConfiguration<Carrier>
{
    public void Configure(EntityTypeBuilder<Carrier> builder)
    {
        builder.Property(c => c.Name).HasMaxLength(100);
        builder.Property(c => c.Host).HasMaxLength(253);
        builder.Property(c => c.CertificateName).HasMaxLength(253);
        builder.Property(c => c.Username).HasMaxLength(100);
        builder.HasIndex(c => c.Name).IsUnique();
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_carriers_port", "port BETWEEN 1 AND 65535");
            t.HasCheckConstraint("ck_carriers_max_channels", "max_channels BETWEEN 1 AND 100000");
            t.HasCheckConstraint("ck_carriers_host", "length(btrim(host)) > 0");
        });
    }
}
