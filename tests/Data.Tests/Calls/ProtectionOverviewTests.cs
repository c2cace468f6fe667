using HostedPbx.Data.Calls;
using HostedPbx.Data.Entities;
using HostedPbx.Testing;

namespace HostedPbx.Data.Tests.Calls;

/// <summary>The tenant's "How your calls are protected" page promises no more than its weakest setting gives.</summary>
public sealed class ProtectionOverviewTests
{
    [Fact]
    public void For_TenantWithoutTrunks_ExtensionsAndVoicemail_NamingItsWeakestAllowedSuite()
    {
        var tenant = new Tenant { Name = "Acme", CreatedAt = TestClock.Now, AllowedSrtpSuites = ["AEAD_AES_256_GCM", "AES_CM_128_HMAC_SHA1_32"] };

        var entries = ProtectionOverview.For(tenant, null, []);

        Assert.Equal(["Calls between your extensions", "Messages left in voicemail"], entries.Select(e => e.Title));
        var entry = entries[0];

        Assert.Equal("Calls between your extensions", entry.Title);
        Assert.Contains("SRTP, AES_CM_128_HMAC_SHA1_32", entry.Statement, StringComparison.Ordinal);
        Assert.DoesNotContain("AEAD_AES_256_GCM", entry.Statement, StringComparison.Ordinal);
        Assert.Contains("the platform operator", entry.Statement, StringComparison.Ordinal);
        Assert.Contains("The call was not recorded", entry.Statement, StringComparison.Ordinal);
    }

    [Fact]
    public void For_PlainUdpTrunkAndRecordingOfExternalCalls_SaysSoPlainly()
    {
        var tenant = new Tenant { Name = "Acme", CreatedAt = TestClock.Now };
        var policy = new RecordingPolicy { Name = "External", Mode = RecordingMode.ExternalOnly };
        var trunk = new Trunk { Name = "Carrier One", Host = "sip.carrier.example", Transport = TrunkTransport.Udp, PlainTransportAllowed = true, SrtpMode = SrtpMode.Off };

        var entries = ProtectionOverview.For(tenant, policy, [trunk]);

        Assert.Equal(3, entries.Count);
        Assert.Contains("The call was not recorded", entries[0].Statement, StringComparison.Ordinal);
        var external = entries[1];
        Assert.Equal("Calls with outside numbers through Carrier One", external.Title);
        Assert.Contains("was NOT encrypted: who called whom", external.Statement, StringComparison.Ordinal);
        Assert.Contains("The audio to and from the telephone carrier's trunk (Carrier One) was NOT encrypted", external.Statement, StringComparison.Ordinal);
        Assert.Contains("your compliance staff", external.Statement, StringComparison.Ordinal);
        Assert.Contains("the telephone carrier", external.Statement, StringComparison.Ordinal);
    }
}
