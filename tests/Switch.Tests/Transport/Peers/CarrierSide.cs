using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace HostedPbx.Switch.Tests.Transport.Peers;

/// <summary>The carrier's end of one test connection, and what it saw of the switch's client certificate.</summary>
internal sealed class CarrierSide(SslStream stream) : IAsyncDisposable
{
    public SslStream Stream { get; } = stream;

    public X509Certificate2? ClientCertificate { get; set; }

    public bool ClientChainValid { get; set; }

    public async ValueTask DisposeAsync()
    {
        ClientCertificate?.Dispose();
        await Stream.DisposeAsync();
    }
}
