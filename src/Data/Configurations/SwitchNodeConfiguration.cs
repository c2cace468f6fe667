using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class SwitchNodeConfiguration : IEntityTypeConfiguration<SwitchNode>
{
    public void Configure(EntityTypeBuilder<SwitchNode> builder)
    {
        builder.HasKey(n => n.Name);
        builder.Property(n => n.Name).HasMaxLength(100);
        builder.Property(n => n.SipAddress).HasMaxLength(64);
        builder.Property(n => n.CertificateFingerprint).HasMaxLength(64);
        builder.HasIndex(n => n.LastHeartbeatAt);
    }
}
