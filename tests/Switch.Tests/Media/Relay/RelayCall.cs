using System.Net;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Tests.Media.Relay;

/// <summary>Two phones and the relay session between them, started on a relay thread.</summary>
internal sealed class RelayCall : IAsyncDisposable
{
    public RelayCall(PortPool ports, RelayThread thread, SrtpSuite suiteA = SrtpSuite.AesCm128HmacSha1Tag80, SrtpSuite suiteB = SrtpSuite.AeadAes128Gcm)
    {
        A = new RelayPhone(suiteA);
        B = new RelayPhone(suiteB);
        Session = new RelaySession(ports.Rent()!, ports.Rent()!, TimeProvider.System, thread);
        ToSideA = new IPEndPoint(IPAddress.Loopback, Session.SideA.RtpPort).Serialize();
        ToSideB = new IPEndPoint(IPAddress.Loopback, Session.SideB.RtpPort).Serialize();
        Session.Start(A.Leg(), B.Leg());
    }

    public RelayPhone A { get; }

    public RelayPhone B { get; }

    public RelaySession Session { get; }

    /// <summary>Where phone A sends (the switch's side-A port).</summary>
    public SocketAddress ToSideA { get; }

    public SocketAddress ToSideB { get; }

    public async ValueTask DisposeAsync()
    {
        await Session.DisposeAsync();
        A.Dispose();
        B.Dispose();
    }
}
