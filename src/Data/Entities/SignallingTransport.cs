namespace HostedPbx.Data.Entities;

/// <summary>How a leg's signalling travelled.</summary>
public enum SignallingTransport
{
    Tls,
    Tcp,
    Udp,
    Internal,
}
