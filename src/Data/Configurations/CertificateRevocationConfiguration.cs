using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class CertificateRevocationConfiguration : IEntityTypeConfiguration<CertificateRevocation>
{
    public void Configure(EntityTypeBuilder<CertificateRevocation> builder)
    {
        builder.Property(r => r.Serial).HasMaxLength(64);
        builder.Property(r => r.Fingerprint).HasMaxLength(64).IsFixedLength();
        builder.Property(r => r.Mac).HasMaxLength(12).IsFixedLength();
        // RFC 5280 §5.3: a CRL entry is an issuer's serial number; one revocation per certificate.
        builder.HasIndex(r => new { r.IssuerId, r.Serial }).IsUnique();
        builder.HasOne(r => r.Issuer).WithMany().HasForeignKey(r => r.IssuerId).OnDelete(DeleteBehavior.Restrict);
    }
}
