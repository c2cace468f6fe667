namespace HostedPbx.Switch.Diagnostics;

internal static partial class SwitchLog
{
    [LoggerMessage(6000, LogLevel.Information, "PSTN: tenant {TenantId} call refused {Status}: {Reason}")]
    public static partial void PstnRefused(ILogger logger, Guid tenantId, int status, string reason);

    [LoggerMessage(6001, LogLevel.Warning, "PSTN: tenant {TenantId} outbound calls suspended by the burst rule")]
    public static partial void PstnSuspended(ILogger logger, Guid tenantId);

    [LoggerMessage(6002, LogLevel.Error, "PSTN: could not store the suspension of tenant {TenantId}; it holds in this switch until restart")]
    public static partial void PstnSuspensionNotStored(ILogger logger, Exception exception, Guid tenantId);

    [LoggerMessage(6003, LogLevel.Information, "PSTN: tenant {TenantId} emergency call to {Number} admitted ahead of every limit")]
    public static partial void PstnEmergency(ILogger logger, Guid tenantId, string number);

    [LoggerMessage(6004, LogLevel.Error, "PSTN: routes and guards could not be read; the last ones stay in force")]
    public static partial void PstnDirectoryNotLoaded(ILogger logger, Exception exception);

    [LoggerMessage(6050, LogLevel.Information, "PSTN inbound: call {CallId} from carrier {Carrier} refused {Status}: {Reason}")]
    public static partial void InboundRefused(ILogger logger, string callId, string carrier, int status, string reason);

    [LoggerMessage(6051, LogLevel.Information, "PSTN inbound: call {CallId} from carrier {Carrier} to tenant {TenantId} rings extension {Extension}")]
    public static partial void InboundAdmitted(ILogger logger, string callId, string carrier, Guid tenantId, string extension);
}
