namespace HostedPbx.Switch.Diagnostics;

internal static partial class SwitchLog
{
    [LoggerMessage(8100, LogLevel.Information, "Call {CallId} for {Callee} goes to switch node {Node}, which holds its registration")]
    public static partial void CallToNode(ILogger logger, string callId, string callee, string node);

    [LoggerMessage(8101, LogLevel.Warning, "Switch node {Node} could not be reached: {Reason}")]
    public static partial void NodeUnreachable(ILogger logger, string node, string reason);

    [LoggerMessage(8103, LogLevel.Information, "Switch node {Node} now routes {Count} extensions to other switch nodes")]
    public static partial void NodeRoutesChanged(ILogger logger, string node, int count);

    [LoggerMessage(8102, LogLevel.Error, "The routes to the other switch nodes could not be refreshed")]
    public static partial void NodeRoutesFailed(ILogger logger, Exception exception);
}
