namespace HostedPbx.Data.Entities;

/// <summary>What a switch node's OPTIONS keep-alive (RFC 3261 §11) last found of a trunk.</summary>
public enum TrunkReachability
{
    Up,
    Down,
}
