using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HostedPbx.Data.Certificates;

/// <summary>
/// Registers the CA for a part that issues certificates (Provisioning, Web), and the master key's
/// <see cref="KeyProtector"/> for every part that wraps or opens data keys (those two, and the switch for voicemail).
/// </summary>
public static class CertificateServices
{
    public static IHostApplicationBuilder AddPlatformAuthority(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CertificateAuthorityOptions>().BindConfiguration(CertificateAuthorityOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.AddKeyProtection();
        builder.Services.AddSingleton<CertificateIssuer>();
        builder.Services.AddSingleton<ClientCertificateValidator>();
        builder.Services.AddSingleton<PlatformAuthority>();
        builder.Services.AddSingleton<RevocationList>();
        builder.Services.AddSingleton<CertificateExpirySweep>();
        return builder;
    }

    /// <summary>The master key (section "Keys") as a <see cref="KeyProtector"/>; the part does not start without it.</summary>
    public static IHostApplicationBuilder AddKeyProtection(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<KeyOptions>().BindConfiguration(KeyOptions.SectionName)
            .Validate(CanOpen, "Keys:MasterKey or Keys:MasterKeyFile is missing or not 32 bytes of base64: give the master key that encrypts private keys at rest.")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<KeyOptions>>().Value.CreateProtector());
        return builder;
    }

    private static bool CanOpen(KeyOptions options)
    {
        try
        {
            using var protector = options.CreateProtector();
            return true;
        }
        catch (Hosting.StartupCheckException)
        {
            return false;
        }
    }
}
