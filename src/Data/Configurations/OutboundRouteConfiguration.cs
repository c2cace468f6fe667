using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class OutboundRouteConfiguration : IEntityTypeConfiguration<OutboundRoute>
{
    public void Configure(EntityTypeBuilder<OutboundRoute> builder)
    {
        builder.Property(r => r.Name).HasMaxLength(100);
        builder.Property(r => r.Prefix).HasMaxLength(16);
        builder.HasIndex(r => new { r.TenantId, r.Priority }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(r => r.Trunk).WithMany()
            .HasForeignKey(r => new { r.TenantId, r.TrunkId }).HasPrincipalKey(t => new { t.TenantId, t.Id })
            .OnDelete(DeleteBehavior.Cascade);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_outbound_routes_prefix", "prefix ~ '^\\+?[0-9]*$'");
            t.HasCheckConstraint("ck_outbound_routes_strip_digits", "strip_digits BETWEEN 0 AND 16");
        });
    }
}
