namespace HostedPbx.Data.Entities;

/// <summary>Signalling transport toward a carrier.</summary>
public enum TrunkTransport
{
    Tls,
    Tcp,
    Udp,
}
