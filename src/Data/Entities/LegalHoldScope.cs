namespace HostedPbx.Data.Entities;

/// <summary>What a legal hold keeps from deletion.</summary>
public enum LegalHoldScope
{
    /// <summary>Every recording of the tenant.</summary>
    Tenant,

    /// <summary>Every recording an extension is a party to.</summary>
    Extension,

    /// <summary>One recording.</summary>
    Recording,
}
