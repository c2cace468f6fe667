namespace HostedPbx.Data.Pstn;

public enum FraudVerdict
{
    Allow,
    Refuse,

    /// <summary>Refuse this call and suspend the tenant's outbound calls (not emergency ones) until an admin lifts it.</summary>
    Suspend,
}
