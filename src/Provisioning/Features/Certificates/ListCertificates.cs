using HostedPbx.Data;
using HostedPbx.Data.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Certificates;

public static class ListCertificates
{
    public static async Task<Ok<List<CertificateResponse>>> HandleAsync(Guid tenantId, Guid deviceId, PbxDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await db.DeviceCertificates.AsNoTracking().ForTenant(tenantId).Where(c => c.DeviceId == deviceId)
            .OrderByDescending(c => c.CreatedAt).Select(CertificateResponse.Projection).ToListAsync(ct));
}
