using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;

namespace HostedPbx.Data.Pstn;

/// <summary>
/// Where and how a trunk reaches its carrier: the operator's carrier settings when the trunk names one, else the
/// tenant's own. The switch dials this, and the protection page describes it, so both read the same facts.
/// </summary>
public sealed record TrunkEndpoint(string Host, int Port, TrunkTransport Transport, string CertificateName, bool VerifyCertificate,
    SrtpMode SrtpMode, string? Username, byte[]? ProtectedPassword, string PasswordPurpose)
{
    /// <summary>The trunk's endpoint; the trunk's <see cref="Trunk.Carrier"/> must be loaded when it names one.</summary>
    public static TrunkEndpoint Of(Trunk trunk)
    {
        ArgumentNullException.ThrowIfNull(trunk);
        if (trunk.CarrierId is not null)
        {
            var carrier = trunk.Carrier ?? throw new InvalidOperationException("Load the trunk's carrier to know its endpoint.");
            return new(carrier.Host, carrier.Port, carrier.Transport, carrier.CertificateName ?? carrier.Host, true, carrier.SrtpMode,
                carrier.Username, carrier.ProtectedPassword, KeyPurpose.CarrierPassword(carrier.Id));
        }

        var host = trunk.Host ?? throw new InvalidOperationException("A trunk without a carrier has its own host.");
        return new(host, trunk.Port, trunk.Transport, trunk.CertificateName ?? host, trunk.VerifyServerCertificate, trunk.SrtpMode,
            trunk.Username, trunk.ProtectedPassword, KeyPurpose.TrunkPassword(trunk.Id));
    }

    /// <summary>True when signalling to the carrier is TLS with its certificate verified by name.</summary>
    public bool IsVerifiedTls => Transport == TrunkTransport.Tls && VerifyCertificate;
}
