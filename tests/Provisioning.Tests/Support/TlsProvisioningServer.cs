using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Certificates;
using HostedPbx.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HostedPbx.Provisioning.Tests.Support;

/// <summary>The real Provisioning app on Kestrel with real HTTPS: the provisioning endpoint asks for client certificates.</summary>
public sealed class TlsProvisioningServer(PostgresFixture database, string directory, CertificateAuthority root, IssuedCertificate server)
    : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string> _settings = [];

    public Uri ProvisionAddress { get; private set; } = null!;

    /// <summary>A setting of the part's own (<c>Provisioning:BackupSwitchHost</c>…), given before <see cref="Start"/>.</summary>
    public TlsProvisioningServer With(string key, string value)
    {
        _settings[key] = value;
        return this;
    }

    public void Start()
    {
        File.WriteAllText(Path.Combine(directory, "server.crt"), server.CertificatePem());
        File.WriteAllText(Path.Combine(directory, "server.key"), server.PrivateKeyPem());
        File.WriteAllText(Path.Combine(directory, "ca.crt"), root.Certificate.ExportCertificatePem());
        UseKestrel();
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        ProvisionAddress = new Uri(addresses.Single(a => a.StartsWith("https", StringComparison.Ordinal)));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Database:ConnectionString", database.AppConnectionString);
        builder.UseSetting("Keys:MasterKey", ProvisioningFactory.MasterKey);
        builder.UseSetting("Provisioning:SwitchCaPath", Path.Combine(directory, "ca.crt"));
        builder.UseSetting("Kestrel:Endpoints:Api:Url", "http://127.0.0.1:0");
        builder.UseSetting("Kestrel:Endpoints:Provision:Url", "https://127.0.0.1:0");
        builder.UseSetting("Kestrel:Endpoints:Provision:Certificate:Path", Path.Combine(directory, "server.crt"));
        builder.UseSetting("Kestrel:Endpoints:Provision:Certificate:KeyPath", Path.Combine(directory, "server.key"));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A handset's HTTP client: presents the certificate (if any) and trusts only the platform root for the server.</summary>
    public HttpClient Handset(X509Certificate2? certificate)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.ClientCertificates = certificate is null ? null : [certificate];
        return Handset(handler);
    }

    /// <summary>As <see cref="Handset(X509Certificate2?)"/>, presenting exactly this context's certificates (nothing looked up).</summary>
    public HttpClient HandsetPresenting(System.Net.Security.SslStreamCertificateContext certificate)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.ClientCertificateContext = certificate;
        return Handset(handler);
    }

    private HttpClient Handset(SocketsHttpHandler handler)
    {
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) =>
            presented is not null && presented.Issuer == root.Certificate.Subject;
        return new HttpClient(handler) { BaseAddress = ProvisionAddress };
    }
}
