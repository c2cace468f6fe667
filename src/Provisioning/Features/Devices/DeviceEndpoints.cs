using HostedPbx.Provisioning.Security;

namespace HostedPbx.Provisioning.Features.Devices;

internal static class DeviceEndpoints
{
    public static RouteGroupBuilder MapDevicesApi(this RouteGroupBuilder tenant)
    {
        var devices = tenant.MapGroup("/devices").WithTags("Devices");
        devices.MapGet("/", ListDevices.HandleAsync).WithName(nameof(ListDevices));
        devices.MapPost("/", CreateDevice.HandleAsync).WithName(nameof(CreateDevice));
        var device = devices.MapGroup("/{deviceId:guid}");
        device.MapGet("/", GetDevice.HandleAsync).WithName(nameof(GetDevice));
        device.MapPut("/lines", BindLines.HandleAsync).WithName(nameof(BindLines));
        device.MapPut("/status", SetDeviceStatus.HandleAsync).WithName(nameof(SetDeviceStatus));
        device.MapDelete("/", DeleteDevice.HandleAsync).WithName(nameof(DeleteDevice));
        return device;
    }

    /// <summary>Operator only: a reseller's key gets 404 here.</summary>
    public static void MapDeviceClaimsApi(this RouteGroupBuilder api) =>
        api.MapGroup("/device-claims").WithTags("Devices").WithMetadata(new OperatorRoute())
            .MapPost("/", ApproveDeviceClaim.HandleAsync).WithName(nameof(ApproveDeviceClaim));
}
