using HostedPbx.Data.Certificates;
using Microsoft.Extensions.Options;

namespace HostedPbx.Testing;

/// <summary>A server certificate for 127.0.0.1 from a throwaway CA, written once as PEM files for the parts under test.</summary>
public static class TestServerCertificate
{
    private static readonly Lazy<(string Certificate, string Key)> s_files = new(Create);

    public static (string Certificate, string Key) Files => s_files.Value;

    private static (string, string) Create()
    {
        var issuer = new CertificateIssuer(Options.Create(new CertificateAuthorityOptions()), TimeProvider.System);
        using var root = issuer.CreateRoot();
        using var server = issuer.IssueServer(root, ["127.0.0.1"]);
        var directory = Directory.CreateTempSubdirectory("pbx-platform-").FullName;
        var certificate = Path.Combine(directory, "server.crt");
        var key = Path.Combine(directory, "server.key");
        File.WriteAllText(certificate, server.CertificatePem());
        File.WriteAllText(key, server.PrivateKeyPem());
        return (certificate, key);
    }
}
