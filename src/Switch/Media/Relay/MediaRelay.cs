using HostedPbx.Switch.Diagnostics;

namespace HostedPbx.Switch.Media.Relay;

/// <summary>Opens relay sessions on ports from the pool; their media runs on the engine's threads.</summary>
internal sealed class MediaRelay(PortPool ports, TimeProvider time, RelayEngine engine, RelayTotals? totals = null)
{
    public MediaRelay(PortPool ports, TimeProvider time)
        : this(ports, time, RelayEngine.Default)
    {
    }

    public string Address => ports.Address.ToString();

    public RelaySession? Open()
    {
        var a = ports.Rent();
        if (a is null)
        {
            return null;
        }

        var b = ports.Rent();
        if (b is null)
        {
            a.Dispose();
            return null;
        }

        var session = new RelaySession(a, b, time, engine.Assign());
        totals?.Track(session);
        return session;
    }
}
