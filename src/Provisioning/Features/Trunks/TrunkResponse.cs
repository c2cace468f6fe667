using System.Linq.Expressions;
using HostedPbx.Data.Entities;

namespace HostedPbx.Provisioning.Features.Trunks;

/// <summary>A trunk as the API shows it: whether a password is stored, never the password.</summary>
public sealed record TrunkResponse(Guid Id, Guid TenantId, string Name, Guid? CarrierId, string? Host, int Port, TrunkTransport Transport,
    bool PlainTransportAllowed, string? CertificateName, SrtpMode SrtpMode, string? Username, bool HasPassword, int MaxChannels,
    bool Enabled, DateTimeOffset CreatedAt)
{
    public static readonly Expression<Func<Trunk, TrunkResponse>> Projection = t => new TrunkResponse(t.Id, t.TenantId, t.Name, t.CarrierId,
        t.Host, t.Port, t.Transport, t.PlainTransportAllowed, t.CertificateName, t.SrtpMode, t.Username, t.ProtectedPassword != null,
        t.MaxChannels, t.Enabled, t.CreatedAt);

    private static readonly Func<Trunk, TrunkResponse> s_from = Projection.Compile();

    public static TrunkResponse From(Trunk t) => s_from(t);
}
