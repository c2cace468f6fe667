using HostedPbx.Switch.Devices;
using HostedPbx.Switch.Sip.Transport;
using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Switch.Tests.Transport;

public sealed class ConnectionIdentityTests : IDisposable
{
    private const string Mac = "0015651a2b3c";
    private readonly TestPki _pki = new();

    [Fact]
    public void Check_SameSnapshot_DoesNotAuthenticateAgain()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var identity = Prove(time, out var directory, out _);

        Assert.Null(identity.Check(directory));
        Assert.Null(identity.Check(directory));
    }

    [Fact]
    public void Check_CertificateExpiresDuringTheConnection_Refused()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var identity = Prove(time, out var directory, out var notAfter);

        time.SetUtcNow(notAfter.AddSeconds(1));

        Assert.Contains("expired", identity.Check(directory), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SameCertificateNowNamesAnotherDeviceRecord_Refused()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var identity = Prove(time, out _, out _);

        // The device was deleted and a new record made for the same MAC: the connection was proven for the old one.
        Assert.Contains("another device", identity.Check(_pki.Directory(TestPki.Device(Mac))), StringComparison.Ordinal);
    }

    private ConnectionIdentity Prove(TimeProvider time, out DeviceDirectory directory, out DateTimeOffset notAfter)
    {
        using var device = _pki.IssueDevice(Mac);
        directory = _pki.Directory(TestPki.Device(Mac, device.Fingerprint));
        var authenticator = new DeviceAuthenticator(time);
        using var leaf = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(device.Certificate.RawData);
        var outcome = authenticator.Authenticate(leaf, [], directory);
        Assert.True(outcome.Succeeded, outcome.Refusal);
        notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime());
        return new ConnectionIdentity(leaf, [], outcome.Identity, directory, authenticator, time);
    }

    public void Dispose() => _pki.Dispose();
}
