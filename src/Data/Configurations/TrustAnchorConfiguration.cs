using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class TrustAnchorConfiguration : IEntityTypeConfiguration<TrustAnchor>
{
    public void Configure(EntityTypeBuilder<TrustAnchor> builder)
    {
        builder.Property(a => a.Name).HasMaxLength(200);
        builder.Property(a => a.Subject).HasMaxLength(1000);
        builder.Property(a => a.Fingerprint).HasMaxLength(64).IsFixedLength();
        builder.HasIndex(a => a.Fingerprint).IsUnique();
        builder.HasOne(a => a.Parent).WithMany().HasForeignKey(a => a.ParentId).OnDelete(DeleteBehavior.Restrict);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_trust_anchors_fingerprint", "fingerprint ~ '^[0-9a-f]{64}$'");
            t.HasCheckConstraint("ck_trust_anchors_vendor", "(kind = 'Vendor') = (vendor IS NOT NULL)");
            t.HasCheckConstraint("ck_trust_anchors_platform_key", "(kind = 'Vendor') = (protected_private_key IS NULL)");
            t.HasCheckConstraint("ck_trust_anchors_validity", "not_after > not_before");
            t.HasCheckConstraint("ck_trust_anchors_mac_prefixes", "array_to_string(mac_prefixes, ',') ~ '^([0-9a-f]{6,11}(,|$))*$'");
        });
    }
}
