using System.Linq.Expressions;
using HostedPbx.Data.Entities;

namespace HostedPbx.Provisioning.Features.Devices;

public sealed record DeviceResponse(Guid Id, Guid TenantId, string Mac, DeviceVendor Vendor, string Model, DeviceStatus Status,
    Guid? ActiveCertificateId, DateTimeOffset? LastProvisionedAt, IReadOnlyList<DeviceResponse.Line> Lines)
{
    public sealed record Line(int Position, Guid ExtensionId, string Number);

    public static readonly Expression<Func<Device, DeviceResponse>> Projection = d => new DeviceResponse(d.Id, d.TenantId, d.Mac,
        d.Vendor, d.Model, d.Status, d.ActiveCertificateId, d.LastProvisionedAt,
        d.Lines.OrderBy(l => l.Position).Select(l => new Line(l.Position, l.ExtensionId, l.Extension!.Number)).ToList());
}
