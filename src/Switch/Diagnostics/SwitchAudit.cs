using System.Net;
using System.Threading.Channels;
using HostedPbx.Data.Entities;

namespace HostedPbx.Switch.Diagnostics;

/// <summary>
/// Queues audit events from the protocol code without waiting on the database; <see cref="SwitchAuditWriter"/> drains the
/// queue into audit_events. A refusal's reason goes here and never to the peer (DESIGN "Identity of a handset", step 6).
/// </summary>
internal sealed class SwitchAudit(TimeProvider time, SwitchMetrics? metrics = null)
{
    private readonly Channel<AuditEvent> _events = Channel.CreateBounded<AuditEvent>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public ChannelReader<AuditEvent> Reader => _events.Reader;

    public void Denied(string action, string reason, Guid? tenantId, string actorName, string? actorId, IPAddress? source, string? targetKind = null, string? targetId = null)
    {
        metrics?.OnRefused(action, reason);
        _events.Writer.TryWrite(new AuditEvent
        {
            OccurredAt = time.GetUtcNow(),
            TenantId = tenantId,
            ActorKind = AuditActorKind.Device,
            ActorId = actorId,
            ActorName = actorName,
            Action = action,
            TargetKind = targetKind,
            TargetId = targetId,
            Outcome = AuditOutcome.Denied,
            Reason = reason,
            SourceAddress = source,
        });
    }
}
