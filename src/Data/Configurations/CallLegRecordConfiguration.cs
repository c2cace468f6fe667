using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class CallLegRecordConfiguration : IEntityTypeConfiguration<CallLegRecord>
{
    public void Configure(EntityTypeBuilder<CallLegRecord> builder)
    {
        builder.ToTable("call_legs", t =>
        {
            t.HasCheckConstraint("ck_call_legs_position", "position >= 0");
            // A claim of SRTP must name the suite; no suite may be named for plain media.
            t.HasCheckConstraint("ck_call_legs_srtp_suite", "(media_protection = 'Srtp') = (srtp_suite IS NOT NULL)");
            t.HasCheckConstraint("ck_call_legs_tls", "(transport = 'Tls') = (tls_version IS NOT NULL)");
            t.HasCheckConstraint("ck_call_legs_verified", "NOT peer_certificate_verified OR transport = 'Tls'");
        });
        builder.Property(l => l.Party).HasMaxLength(100);
        builder.Property(l => l.TlsVersion).HasMaxLength(16);
        builder.Property(l => l.TlsCipher).HasMaxLength(100);
        builder.Property(l => l.PeerCertificateSubject).HasMaxLength(1000);
        builder.Property(l => l.PeerMac).HasMaxLength(12).IsFixedLength();
        builder.Property(l => l.PeerVerifiedBy).HasMaxLength(200);
        builder.Property(l => l.SrtpSuite).HasMaxLength(64);
        builder.HasIndex(l => new { l.CallRecordId, l.Position }).IsUnique();
    }
}
