using System.Linq.Expressions;
using HostedPbx.Data.Entities;

namespace HostedPbx.Provisioning.Features.Numbers;

public sealed record NumberResponse(Guid Id, Guid TenantId, string Number, Guid DestinationExtensionId, Guid? TrunkId, DateTimeOffset CreatedAt)
{
    public static readonly Expression<Func<InboundNumber, NumberResponse>> Projection = n => new NumberResponse(n.Id, n.TenantId, n.Number,
        n.DestinationExtensionId, n.TrunkId, n.CreatedAt);

    private static readonly Func<InboundNumber, NumberResponse> s_from = Projection.Compile();

    public static NumberResponse From(InboundNumber n) => s_from(n);
}
