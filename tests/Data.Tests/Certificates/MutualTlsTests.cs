using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Tests.Certificates.Support;

namespace HostedPbx.Data.Tests.Certificates;

/// <summary>The CA's certificates in a real TLS handshake (in memory), with the validator deciding on the server side.</summary>
public sealed class MutualTlsTests
{
    [Theory]
    [InlineData(CertificateKeyAlgorithm.EcdsaP256)]
    [InlineData(CertificateKeyAlgorithm.Rsa2048)]
    public async Task Handshake_PlatformDeviceCertificate_AcceptedAndAnchoredAtDeviceCa(CertificateKeyAlgorithm algorithm)
    {
        using var pki = new TestPki();
        using var server = pki.Issuer.IssueServer(pki.Root, ["127.0.0.1"]);
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac, algorithm);

        var (accepted, result) = await HandshakeAsync(pki, server, device);

        Assert.True(accepted);
        Assert.Same(pki.DeviceCa.Certificate, result!.Anchor);
    }

    [Fact]
    public async Task Handshake_StrangerDeviceCertificate_FailsAndRecordsReason()
    {
        using var pki = new TestPki();
        using var stranger = new TestPki();
        using var server = pki.Issuer.IssueServer(pki.Root, ["127.0.0.1"]);
        using var device = stranger.Issuer.IssueDevice(stranger.DeviceCa, TestPki.Mac);

        var (accepted, result) = await HandshakeAsync(pki, server, device);

        Assert.False(accepted);
        Assert.Equal(CertificateRefusal.UntrustedIssuer, result!.Refusal);
    }

    private static async Task<(bool Accepted, CertificateValidationResult? Result)> HandshakeAsync(
        TestPki pki, IssuedCertificate server, IssuedCertificate device)
    {
        var validator = new ClientCertificateValidator(new SettableTimeProvider(TestPki.Start.AddDays(1)));
        CertificateValidationResult? result = null;
        var (clientStream, serverStream) = DuplexPipeStream.CreatePair();
        await using var serverTls = new SslStream(serverStream);
        await using var clientTls = new SslStream(clientStream);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var serverTask = serverTls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(server.Certificate, null, offline: true),
            ClientCertificateRequired = true,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
            {
                using var presented = certificate is null ? null : new X509Certificate2(certificate);
                result = validator.Validate(presented, chain?.ChainPolicy.ExtraStore, [pki.Root.Certificate, pki.DeviceCa.Certificate], RevokedSerials.None);
                return result.IsTrusted;
            },
        }, cancel.Token);

        var clientTask = clientTls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            ClientCertificateContext = SslStreamCertificateContext.Create(device.Certificate, [.. device.Issuers.Take(1)], offline: true),
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            RemoteCertificateValidationCallback = (_, certificate, _, _) => ServerIsOurs(certificate, pki.Root.Certificate),
        }, cancel.Token);

        try
        {
            await Task.WhenAll(serverTask, clientTask);
            // TLS 1.3 finishes the client's side before the server has judged its certificate: exchange a byte to be sure.
            await clientTls.WriteAsync(new byte[] { 1 }, cancel.Token);
            var buffer = new byte[1];
            return (await serverTls.ReadAsync(buffer, cancel.Token) == 1, result);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            return (false, result);
        }
    }

    private static bool ServerIsOurs(X509Certificate? certificate, X509Certificate2 root)
    {
        if (certificate is null)
        {
            return false;
        }

        using var presented = new X509Certificate2(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = TestPki.Start.AddDays(1).UtcDateTime;
        return chain.Build(presented) && presented.MatchesHostname("127.0.0.1");
    }
}
