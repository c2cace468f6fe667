using HostedPbx.Data.Calls;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;
using HostedPbx.Testing;

namespace HostedPbx.Data.Tests.Pstn;

/// <summary>A trunk on the operator's carrier is what the carrier is: the protection page tells the carrier's settings, not the trunk's.</summary>
public sealed class TrunkEndpointTests
{
    [Fact]
    public void ProtectionOverview_TrunkOnAPlainCarrier_SaysNotEncryptedWhateverTheTrunkRowHolds()
    {
        var carrier = new Carrier { Name = "Legacy Telco", Host = "10.0.0.9", Port = 5060, Transport = TrunkTransport.Udp, SrtpMode = SrtpMode.Off };
        var trunk = new Trunk { Name = "Main", CarrierId = carrier.Id, Carrier = carrier, Transport = TrunkTransport.Tls, SrtpMode = SrtpMode.Required };

        var external = ProtectionOverview.For(new Tenant { Name = "Acme", CreatedAt = TestClock.Now }, null, [trunk])[1];

        Assert.Contains("The audio to and from the telephone carrier's trunk (Main) was NOT encrypted", external.Statement, StringComparison.Ordinal);
        Assert.Equal(KeyPurpose.CarrierPassword(carrier.Id), TrunkEndpoint.Of(trunk).PasswordPurpose);
    }

    [Theory]
    [InlineData(SrtpMode.Required, true)]
    [InlineData(SrtpMode.Preferred, false)]
    public void ProtectionOverview_OwnTlsTrunk_PromisesSrtpOnlyWhenRequired(SrtpMode mode, bool promised)
    {
        var trunk = new Trunk { Name = "Own", Host = "sbc.example.net", SrtpMode = mode };

        var external = ProtectionOverview.For(new Tenant { Name = "Acme", CreatedAt = TestClock.Now }, null, [trunk])[1];

        Assert.Equal(promised, !external.Statement.Contains("(Own) was NOT encrypted", StringComparison.Ordinal));
        Assert.Equal(("sbc.example.net", true), (TrunkEndpoint.Of(trunk).CertificateName, TrunkEndpoint.Of(trunk).IsVerifiedTls));
    }
}
