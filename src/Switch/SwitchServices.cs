using HostedPbx.Data;
using Microsoft.Extensions.Options;

namespace HostedPbx.Switch;

public static class SwitchServices
{
    public static IHostApplicationBuilder AddSwitchServices(this IHostApplicationBuilder builder)
    {
        builder.AddPbxData();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<SwitchOptions>()
            .BindConfiguration(SwitchOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.MediaPortMin < o.MediaPortMax, "Switch:MediaPortMin must be below Switch:MediaPortMax.")
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SwitchOptions>, ValidateSwitchOptions>();
        return builder;
    }
}
