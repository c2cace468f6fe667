namespace HostedPbx.Switch.Media.Relay;

/// <summary>Opens relay sessions on ports from the pool.</summary>
internal sealed class MediaRelay(PortPool ports, TimeProvider time)
{
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

        return new RelaySession(a, b, time);
    }
}
