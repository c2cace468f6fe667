namespace HostedPbx.Data.Pstn;

/// <summary>What a dialled string that is not an extension means for the PSTN.</summary>
public enum DialledKind
{
    /// <summary>An emergency number of the tenant's country: always routed, ahead of every limit and block.</summary>
    Emergency,

    /// <summary>A number of the telephone network, normalised to E.164.</summary>
    External,

    /// <summary>Nothing a carrier could reach.</summary>
    Invalid,
}
