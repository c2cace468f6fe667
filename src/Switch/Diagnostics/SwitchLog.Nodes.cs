namespace HostedPbx.Switch.Diagnostics;

internal static partial class SwitchLog
{
    [LoggerMessage(8000, LogLevel.Information, "Switch node {Node} joined at {Address}")]
    public static partial void NodeJoined(ILogger logger, string node, string address);

    [LoggerMessage(8001, LogLevel.Warning, "Switch node {Node} at {Address} stopped its heartbeat: {Registrations} registrations expired")]
    public static partial void NodeExpired(ILogger logger, string node, string address, int registrations);

    [LoggerMessage(8002, LogLevel.Warning, "Switch node {Node} found itself expired by the others and joined again")]
    public static partial void NodeRejoined(ILogger logger, string node);

    [LoggerMessage(8003, LogLevel.Error, "The heartbeat of switch node {Node} failed")]
    public static partial void NodeHeartbeatFailed(ILogger logger, string node, Exception exception);

    [LoggerMessage(8004, LogLevel.Information, "Switch node {Node} draining: no new calls, {Calls} calls may go on for {GraceSeconds} s")]
    public static partial void NodeDraining(ILogger logger, string node, int calls, int graceSeconds);

    [LoggerMessage(8005, LogLevel.Information, "Switch node {Node} drained: {Left} calls still up at the end of the grace; {Connections} handset connections closed")]
    public static partial void NodeDrained(ILogger logger, string node, int left, int connections);

    [LoggerMessage(8006, LogLevel.Warning, "INVITE {CallId} refused: this switch node is draining")]
    public static partial void InviteRefusedDraining(ILogger logger, string callId);

    [LoggerMessage(8007, LogLevel.Error, "Switch node {Node} could not record its drain or departure")]
    public static partial void NodeLeaveFailed(ILogger logger, string node, Exception exception);
}
