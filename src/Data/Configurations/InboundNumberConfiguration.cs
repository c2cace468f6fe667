using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class InboundNumberConfiguration : IEntityTypeConfiguration<InboundNumber>
{
    public void Configure(EntityTypeBuilder<InboundNumber> builder)
    {
        builder.Property(n => n.Number).HasMaxLength(16);
        builder.HasIndex(n => n.Number).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(n => n.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(n => n.Trunk).WithMany()
            .HasForeignKey(n => new { n.TenantId, n.TrunkId }).HasPrincipalKey(t => new { t.TenantId, t.Id })
            .OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(n => n.DestinationExtension).WithMany()
            .HasForeignKey(n => new { n.TenantId, n.DestinationExtensionId }).HasPrincipalKey(e => new { e.TenantId, e.Id })
            .OnDelete(DeleteBehavior.Restrict);
        builder.ToTable(t => t.HasCheckConstraint("ck_inbound_numbers_e164", "number ~ '^\\+[1-9][0-9]{6,14}$'"));
    }
}
