using System.Linq.Expressions;
using HostedPbx.Data.Entities;

namespace HostedPbx.Provisioning.Features.Trunks;

/// <summary>A carrier as the API shows it: whether a password is stored, never the password.</summary>
public sealed record CarrierResponse(Guid Id, string Name, string Host, int Port, TrunkTransport Transport, string? CertificateName,
    SrtpMode SrtpMode, string? Username, bool HasPassword, int MaxChannels, bool Enabled, DateTimeOffset CreatedAt)
{
    public static readonly Expression<Func<Carrier, CarrierResponse>> Projection = c => new CarrierResponse(c.Id, c.Name, c.Host, c.Port,
        c.Transport, c.CertificateName, c.SrtpMode, c.Username, c.ProtectedPassword != null, c.MaxChannels, c.Enabled, c.CreatedAt);

    private static readonly Func<Carrier, CarrierResponse> s_from = Projection.Compile();

    public static CarrierResponse From(Carrier c) => s_from(c);
}
