namespace HostedPbx.Data.Entities;

/// <summary>Dialled digits starting with a prefix go out through a trunk; lower priority wins.</summary>
public class OutboundRoute : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public required string Name { get; set; }
    /// <summary>Digits (and a leading +) the dialled number must start with; empty matches everything.</summary>
    public string Prefix { get; set; } = "";
    /// <summary>How many leading digits to strip before sending to the carrier.</summary>
    public int StripDigits { get; set; }
    public int Priority { get; set; }
    public Guid TrunkId { get; set; }
    public Trunk? Trunk { get; set; }
    public bool Enabled { get; set; } = true;
}
