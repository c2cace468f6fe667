namespace HostedPbx.Switch.Sip.Transactions;

internal static class ResponseKinds
{
    public static ResponseKind Of(int statusCode) => statusCode switch
    {
        < 200 => ResponseKind.Provisional,
        < 300 => ResponseKind.Success,
        _ => ResponseKind.Failure,
    };
}
