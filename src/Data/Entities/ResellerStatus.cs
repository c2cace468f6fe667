namespace HostedPbx.Data.Entities;

/// <summary>Whether a reseller may act.</summary>
public enum ResellerStatus
{
    Active,
    Suspended,
}
