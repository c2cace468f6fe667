namespace HostedPbx.Provisioning;

internal static class ApiLimits
{
    /// <summary>The largest body any route accepts (a PEM chain fits well inside); more is refused with 413.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;
}
