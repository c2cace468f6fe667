using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class TrunkStateConfiguration : IEntityTypeConfiguration<TrunkState>
{
    public void Configure(EntityTypeBuilder<TrunkState> builder)
    {
        builder.HasKey(s => new { s.TrunkId, s.NodeName });
        builder.Property(s => s.NodeName).HasMaxLength(100);
        builder.Property(s => s.Reason).HasMaxLength(300);
        builder.HasIndex(s => s.TenantId);
        // A trunk's states go with it; a tenant's trunk belongs to that tenant only.
        builder.HasOne<Trunk>().WithMany().HasForeignKey(s => new { s.TenantId, s.TrunkId }).HasPrincipalKey(t => new { t.TenantId, t.Id })
            .OnDelete(DeleteBehavior.Cascade);
    }
}
