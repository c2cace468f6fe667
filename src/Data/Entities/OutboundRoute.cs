namespace HostedPbx.Data.Entities;

/// <summary>
/// Dialled numbers that match <see cref="Pattern"/> go out on <see cref="TrunkIds"/> in order (failover on 5xx or
/// timeout); among a tenant's routes the lowest <see cref="Priority"/> that matches wins.
/// </summary>
public class OutboundRoute : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public required string Name { get; set; }

    /// <summary>A dial pattern (<c>HostedPbx.Data.Pstn.DialPattern</c>): <c>+44*</c>, <c>0*</c>, <c>+4930XXXXXX</c>.</summary>
    public required string Pattern { get; set; }
    public int Priority { get; set; }

    /// <summary>The tenant's trunks to try, first to last.</summary>
    public Guid[] TrunkIds { get; set; } = [];
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The number (E.164) calls on this route present, instead of the caller's own; the switch presents it only while the
    /// tenant still owns it.
    /// </summary>
    public string? CallerId { get; set; }
}
