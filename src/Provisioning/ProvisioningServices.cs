using HostedPbx.Data;

namespace HostedPbx.Provisioning;

public static class ProvisioningServices
{
    public static IHostApplicationBuilder AddProvisioningServices(this IHostApplicationBuilder builder)
    {
        builder.AddPbxData();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        return builder;
    }
}
