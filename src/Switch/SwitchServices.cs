using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Switch.Calls.Voicemail;
using HostedPbx.Switch.Calls.Recording;
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
        // Several switch nodes (issue 14): the host waits for a graceful stop's drain, and a little more.
        builder.Services.AddOptions<Nodes.NodeOptions>().BindConfiguration(Nodes.NodeOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<Nodes.NodeOptions>>(
            (host, nodes) => host.ShutdownTimeout = TimeSpan.FromSeconds(nodes.Value.DrainGraceSeconds + 15));

        // Voicemail: the master key wraps each message's data key; the files go under one root the portal reads too.
        builder.AddKeyProtection();
        builder.Services.AddOptions<MailboxOptions>().BindConfiguration(MailboxOptions.SectionName)
            .PostConfigure<IConfiguration>((o, configuration) => o.ResolvedDirectory = Data.Voicemail.VoicemailFiles.From(configuration).Root);
        builder.AddPbxTelemetry<SwitchMetrics>("hostedpbx-switch", SwitchMetrics.Name);
        builder.Services.AddSingleton<SwitchAudit>();
        builder.Services.AddHostedService<SwitchAuditWriter>();
        builder.AddCallRecording();
        builder.Services.AddHostedService<SipServer>();
        return builder;
    }
}
