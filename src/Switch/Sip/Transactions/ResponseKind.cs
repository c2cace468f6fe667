namespace HostedPbx.Switch.Sip.Transactions;

/// <summary>The three classes of response the §17 state machines distinguish.</summary>
internal enum ResponseKind
{
    Provisional,
    Success,
    Failure,
}
