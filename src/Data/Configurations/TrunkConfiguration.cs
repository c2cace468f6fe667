using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class TrunkConfiguration : IEntityTypeConfiguration<Trunk>
{
    public void Configure(EntityTypeBuilder<Trunk> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(100);
        builder.Property(t => t.Host).HasMaxLength(253);
        builder.Property(t => t.CertificateName).HasMaxLength(253);
        builder.Property(t => t.Username).HasMaxLength(100);
        builder.HasAlternateKey(t => new { t.TenantId, t.Id });
        builder.HasIndex(t => new { t.TenantId, t.Name }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(t => t.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(t => t.Carrier).WithMany().HasForeignKey(t => t.CarrierId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(t => t.RecordingPolicy).WithMany()
            .HasForeignKey(t => new { t.TenantId, t.RecordingPolicyId }).HasPrincipalKey(p => new { p.TenantId, p.Id })
            .OnDelete(DeleteBehavior.Restrict);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_trunks_port", "port BETWEEN 1 AND 65535");
            t.HasCheckConstraint("ck_trunks_max_channels", "max_channels BETWEEN 1 AND 10000");
            // Either the operator's carrier or the tenant's own host, never both, never neither.
            t.HasCheckConstraint("ck_trunks_host", "(carrier_id IS NULL) = (host IS NOT NULL AND length(btrim(host)) > 0)");
            t.HasCheckConstraint("ck_trunks_plain_transport", "transport = 'Tls' OR plain_transport_allowed");
        });
    }
}
