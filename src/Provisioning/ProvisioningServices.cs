using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Voicemail;
using HostedPbx.Data.Observability;
using HostedPbx.Provisioning.Diagnostics;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Authentication;

namespace HostedPbx.Provisioning;

public static class ProvisioningServices
{
    public static IHostApplicationBuilder AddProvisioningServices(this IHostApplicationBuilder builder)
    {
        builder.AddPbxData();
        builder.AddPbxTelemetry<ProvisioningMetrics>("hostedpbx-provisioning", ProvisioningMetrics.Name);
        builder.Services.AddSingleton<ProvisioningMetricsFilter>();
        builder.AddPlatformAuthority();
        builder.AddVoicemailAudio();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<HandsetIdentityCheck>();
        builder.Services.AddSingleton<DownloadLinks>();
        builder.Services.AddSingleton<Features.Handsets.RefusalAuditLimiter>();
        builder.Services.AddOptions<ProvisioningOptions>().BindConfiguration(ProvisioningOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddProblemDetails();
        builder.Services.AddValidation();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
            o.SerializerOptions.Converters.Add(new NulRejectingStringConverter());
        });
        builder.Services.AddOpenApi();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = ApiLimits.MaxRequestBodyBytes;
            // Handsets present a certificate on the provisioning port; it is checked against the anchors on record
            // by ServeConfig, not by the platform's trust store. TLS 1.2 or 1.3 only.
            kestrel.ConfigureHttpsDefaults(https =>
            {
                https.SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13;
                https.AllowAnyClientCertificate();
                // The stack's own chain for the client decides nothing and must fetch nothing a stranger names.
                https.OnAuthenticate = (_, ssl) => ssl.CertificateChainPolicy = HostedPbx.Data.Certificates.TlsChainPolicy.ForRemoteCertificate();
            });
        });
        return builder;
    }
}
