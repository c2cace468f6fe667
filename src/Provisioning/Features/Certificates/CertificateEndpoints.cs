namespace HostedPbx.Provisioning.Features.Certificates;

internal static class CertificateEndpoints
{
    public static void MapCertificatesApi(this RouteGroupBuilder device, RouteGroupBuilder api)
    {
        var certificates = device.MapGroup("/certificates").WithTags("Certificates");
        certificates.MapGet("/", ListCertificates.HandleAsync).WithName(nameof(ListCertificates));
        certificates.MapPost("/issue", IssueCertificate.HandleAsync).WithName(nameof(IssueCertificate));
        certificates.MapPost("/", UploadCertificate.HandleAsync).WithName(nameof(UploadCertificate));
        certificates.MapPost("/{certificateId:guid}/revoke", RevokeCertificate.HandleAsync).WithName(nameof(RevokeCertificate));
        certificates.MapPost("/{certificateId:guid}/rebind", RebindCertificate.HandleAsync).WithName(nameof(RebindCertificate));
        api.MapGet("/certificate-downloads/{token}", DownloadCertificate.HandleAsync).WithName(nameof(DownloadCertificate)).WithTags("Certificates");
    }
}
