namespace HostedPbx.Data.Entities;

/// <summary>
/// A switch node that shares the location service (DESIGN "Growing past one machine"): its name, where other nodes reach
/// it over SIP, when it last said it was alive, and whether it is draining (taking no new calls).
/// </summary>
public class SwitchNode
{
    /// <summary><c>Switch:NodeName</c>; registrations name their node with it.</summary>
    public required string Name { get; set; }

    /// <summary>The node's SIP over TLS address, ip:port.</summary>
    public required string SipAddress { get; set; }

    /// <summary>
    /// SHA-256 fingerprint (hex) of the certificate the node presents: another node admits a connection from this one only
    /// with exactly this certificate, as a handset is bound to its certificate.
    /// </summary>
    public required string CertificateFingerprint { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset LastHeartbeatAt { get; set; }

    public bool Draining { get; set; }
}
