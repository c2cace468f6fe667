using HostedPbx.Data.Certificates;
using HostedPbx.Data.Devices;

namespace HostedPbx.Data.Tests.Certificates.Support;

/// <summary>A fresh platform root and device CA at a fixed time, made with the code under test.</summary>
internal sealed class TestPki : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);
    public static readonly MacAddress Mac = MacAddress.Parse("00:15:65:1a:2b:3c");
    public const string CrlUrl = "http://pki.example.test/device-ca.crl";

    public TestPki(Action<CertificateAuthorityOptions>? configure = null)
    {
        configure?.Invoke(Options);
        Issuer = new CertificateIssuer(Microsoft.Extensions.Options.Options.Create(Options), Clock);
        Root = Issuer.CreateRoot();
        DeviceCa = Issuer.CreateIntermediate(Root);
    }

    public SettableTimeProvider Clock { get; } = new(Start);

    public CertificateAuthorityOptions Options { get; } = new() { CrlUrl = CrlUrl };

    public CertificateIssuer Issuer { get; }

    public CertificateAuthority Root { get; }

    public CertificateAuthority DeviceCa { get; }

    public void Dispose()
    {
        DeviceCa.Dispose();
        Root.Dispose();
    }
}
