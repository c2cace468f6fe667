using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class RecordingPolicyConfiguration : IEntityTypeConfiguration<RecordingPolicy>
{
    public void Configure(EntityTypeBuilder<RecordingPolicy> builder)
    {
        builder.Property(p => p.Name).HasMaxLength(100);
        builder.HasAlternateKey(p => new { p.TenantId, p.Id });
        builder.HasIndex(p => new { p.TenantId, p.Name }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(p => p.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
