using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class SwitchNodeCallConfiguration : IEntityTypeConfiguration<SwitchNodeCall>
{
    public void Configure(EntityTypeBuilder<SwitchNodeCall> builder)
    {
        builder.HasKey(c => new { c.NodeName, c.CallId });
        builder.Property(c => c.NodeName).HasMaxLength(100);
        // A departed or expired node's calls go with its row. No key to the tenant: the rows live one heartbeat, and a
        // tenant deleted while one of its calls runs must not make the node's beat fail.
        builder.HasOne<SwitchNode>().WithMany().HasForeignKey(c => c.NodeName).OnDelete(DeleteBehavior.Cascade);
    }
}
