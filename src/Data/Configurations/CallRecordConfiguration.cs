using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HostedPbx.Data.Configurations;

internal sealed class CallRecordConfiguration : IEntityTypeConfiguration<CallRecord>
{
    public void Configure(EntityTypeBuilder<CallRecord> builder)
    {
        builder.Property(c => c.SipCallId).HasMaxLength(256);
        builder.Property(c => c.FromParty).HasMaxLength(100);
        builder.Property(c => c.ToParty).HasMaxLength(100);
        builder.Property(c => c.SwitchNode).HasMaxLength(100);
        // The active calls: few rows, read by the portal and by a switch that restarts.
        builder.HasIndex(c => new { c.SwitchNode, c.EndedAt }).HasFilter("ended_at IS NULL");
        builder.HasAlternateKey(c => new { c.TenantId, c.Id });
        builder.HasIndex(c => new { c.TenantId, c.StartedAt }).IsDescending(false, true);
        builder.HasIndex(c => c.SipCallId);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Legs).WithOne()
            .HasForeignKey(l => new { l.TenantId, l.CallRecordId }).HasPrincipalKey(c => new { c.TenantId, c.Id })
            .OnDelete(DeleteBehavior.Cascade);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_call_records_times",
                "(answered_at IS NULL OR answered_at >= started_at) AND (ended_at IS NULL OR ended_at >= started_at)");
            t.HasCheckConstraint("ck_call_records_ended", "(outcome = 'InProgress') = (ended_at IS NULL)");
            t.HasCheckConstraint("ck_call_records_sip_status", "final_sip_status IS NULL OR final_sip_status BETWEEN 100 AND 699");
        });
    }
}
