namespace HostedPbx.Testing;

/// <summary>Loopback ports for a baresip a test starts (shared/peers/README.md: TLS listens on sip_listen's port + 1).</summary>
public static class BaresipPorts
{
    /// <summary>
    /// A port for sip_listen: baresip takes it for UDP and TCP and the next one for TLS, so both must be free (a free TCP
    /// port whose UDP twin or neighbour was taken made baresip exit with "Address already in use", errno 98, under load).
    /// </summary>
    public static int SipListen() => LoopbackPorts.Free(consecutive: 2);
}
