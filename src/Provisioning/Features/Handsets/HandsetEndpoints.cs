using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Tenancy;
using HostedPbx.Provisioning.Diagnostics;
using Microsoft.Extensions.Options;

namespace HostedPbx.Provisioning.Features.Handsets;

internal static class HandsetEndpoints
{
    /// <summary>Where handsets that fetch their trust anchor find the CA that signed the switch's certificate.</summary>
    public const string TrustAnchorPath = "/provision/trust/ca.crt";

    /// <summary>The device CA's CRL (RFC 5280), public as a CRL is meant to be; set CertificateAuthority:CrlUrl to it.</summary>
    public const string RevocationListPath = "/crl/device-ca.crl";

    /// <summary>Handset provisioning: mutual TLS, no API key (the certificate is the credential).</summary>
    public static void MapHandsetProvisioning(this WebApplication app)
    {
        app.MapGet("/provision/{fileName}", ServeConfig.HandleAsync).AddEndpointFilter<ProvisioningMetricsFilter>().WithName(nameof(ServeConfig)).ExcludeFromDescription().AllowAnonymous();
        // Public by nature: a CA certificate is what a handset needs before it trusts anything.
        app.MapGet(TrustAnchorPath, async (IOptions<ProvisioningOptions> options, CancellationToken ct) =>
            TypedResults.Text(await File.ReadAllTextAsync(options.Value.SwitchCaPath, ct), "application/x-pem-file"))
            .ExcludeFromDescription().AllowAnonymous();
        app.MapGet(RevocationListPath, async (PbxDbContext db, RevocationList crl, CancellationToken ct) =>
        {
            db.UseScope(DbScope.System);
            return TypedResults.Bytes(await crl.CurrentAsync(db, ct), "application/pkix-crl");
        }).ExcludeFromDescription().AllowAnonymous();
    }
}
