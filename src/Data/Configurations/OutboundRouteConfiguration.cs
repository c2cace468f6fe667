using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class OutboundRouteConfiguration : IEntityTypeConfiguration<OutboundRoute>
{
    public void Configure(EntityTypeBuilder<OutboundRoute> builder)
    {
        builder.Property(r => r.Name).HasMaxLength(100);
        builder.Property(r => r.Pattern).HasMaxLength(20);
        builder.Property(r => r.CallerId).HasMaxLength(16);
        builder.HasIndex(r => new { r.TenantId, r.Priority }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.ToTable(t =>
        {
            // The same grammar as DialPattern.TryParse, so SQL written by hand cannot store what the switch cannot read.
            t.HasCheckConstraint("ck_outbound_routes_pattern", "pattern ~ '^\\+?[0-9X]*\\*?$' AND length(pattern) > 0");
            t.HasCheckConstraint("ck_outbound_routes_trunks", "cardinality(trunk_ids) BETWEEN 1 AND 8");
        });
    }
}
