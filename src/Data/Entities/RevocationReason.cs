namespace HostedPbx.Data.Entities;

/// <summary>RFC 5280 §5.3.1 reasons we use.</summary>
public enum RevocationReason
{
    Unspecified,
    KeyCompromise,
    Superseded,
    CessationOfOperation,
    AffiliationChanged,
}
