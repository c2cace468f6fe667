using HostedPbx.Data;
using HostedPbx.Data.Observability;
using HostedPbx.Switch.Diagnostics;
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
            .PostConfigure<IConfiguration>((o, configuration) =>
            {
                // One certificate for the host's HTTPS and SIP unless the switch is given its own.
                o.ResolvedCertificatePath = string.IsNullOrWhiteSpace(o.CertificatePath) ? configuration["Kestrel:Certificates:Default:Path"] ?? "" : o.CertificatePath;
                o.ResolvedPrivateKeyPath = string.IsNullOrWhiteSpace(o.PrivateKeyPath) ? configuration["Kestrel:Certificates:Default:KeyPath"] ?? "" : o.PrivateKeyPath;
            })
            .ValidateDataAnnotations()
            .Validate(o => o.MediaPortMin < o.MediaPortMax, "Switch:MediaPortMin must be below Switch:MediaPortMax.")
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SwitchOptions>, ValidateSwitchOptions>();
        builder.AddPbxTelemetry<SwitchMetrics>("hostedpbx-switch", SwitchMetrics.Name);
        builder.Services.AddSingleton<SwitchAudit>();
        builder.Services.AddHostedService<SwitchAuditWriter>();
        builder.Services.AddHostedService<SipServer>();
        return builder;
    }
}
