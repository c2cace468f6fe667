using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class DeviceCertificateConfiguration : IEntityTypeConfiguration<DeviceCertificate>
{
    public void Configure(EntityTypeBuilder<DeviceCertificate> builder)
    {
        builder.Property(c => c.Serial).HasMaxLength(64);
        builder.Property(c => c.Fingerprint).HasMaxLength(64).IsFixedLength();
        builder.Property(c => c.Subject).HasMaxLength(1000);
        builder.Property(c => c.Mac).HasMaxLength(12).IsFixedLength();
        builder.HasIndex(c => c.Fingerprint).IsUnique();
        builder.HasIndex(c => new { c.IssuerId, c.Serial }).IsUnique();
        builder.HasIndex(c => c.NotAfter);
        builder.HasOne(c => c.Issuer).WithMany().HasForeignKey(c => c.IssuerId).OnDelete(DeleteBehavior.Restrict);
        // At most one successor per certificate: a second sweep cannot renew twice.
        builder.HasOne(c => c.Renews).WithOne().HasForeignKey<DeviceCertificate>(c => c.RenewsCertificateId).OnDelete(DeleteBehavior.SetNull);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_device_certificates_fingerprint", "fingerprint ~ '^[0-9a-f]{64}$'");
            t.HasCheckConstraint("ck_device_certificates_serial", "serial ~ '^[0-9a-f]{1,64}$'");
            t.HasCheckConstraint("ck_device_certificates_mac", "mac ~ '^[0-9a-f]{12}$'");
            t.HasCheckConstraint("ck_device_certificates_validity", "not_after > not_before");
            t.HasCheckConstraint("ck_device_certificates_revocation", "(revoked_at IS NULL) = (revocation_reason IS NULL)");
            t.HasCheckConstraint("ck_device_certificates_key_only_when_issued",
                "protected_private_key IS NULL OR source = 'Issued'");
            t.HasCheckConstraint("ck_device_certificates_renewal_is_issued", "renews_certificate_id IS NULL OR source = 'Issued'");
        });
    }
}
