using System.Linq.Expressions;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;

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

    /// <summary>"up", "down" or "unknown": what the switch nodes' OPTIONS keep-alive finds (issue 11).</summary>
    public string State { get; init; } = "unknown";

    /// <summary>Since when the trunk is in <see cref="State"/>; null while unknown.</summary>
    public DateTimeOffset? StateSince { get; init; }

    /// <summary>Why it is down (or the answer that shows it up), as the switch found it.</summary>
    public string? StateReason { get; init; }

    public static TrunkResponse From(Trunk t) => s_from(t);

    public TrunkResponse WithState(TrunkStateSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return this with
        {
            State = summary.State switch { TrunkReachability.Up => "up", TrunkReachability.Down => "down", _ => "unknown" },
            StateSince = summary.Since,
            StateReason = summary.Reason,
        };
    }
}
