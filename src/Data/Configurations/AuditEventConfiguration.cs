using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        // No foreign keys on purpose: the trail outlives the tenants, devices and keys it speaks of.
        builder.Property(a => a.ActorId).HasMaxLength(100);
        builder.Property(a => a.ActorName).HasMaxLength(200);
        builder.Property(a => a.Action).HasMaxLength(100);
        builder.Property(a => a.TargetKind).HasMaxLength(50);
        builder.Property(a => a.TargetId).HasMaxLength(100);
        builder.Property(a => a.Reason).HasMaxLength(1000);
        builder.HasIndex(a => new { a.TenantId, a.OccurredAt }).IsDescending(false, true);
        builder.HasIndex(a => new { a.ResellerId, a.OccurredAt }).IsDescending(false, true);
        builder.HasIndex(a => a.OccurredAt).IsDescending();
        builder.ToTable(t => t.HasCheckConstraint("ck_audit_events_action", "action ~ '^[a-z0-9_.-]+$'"));
    }
}
