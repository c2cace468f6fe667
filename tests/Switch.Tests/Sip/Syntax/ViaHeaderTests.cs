using System.Text;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Tests.Sip.Syntax;

public sealed class ViaHeaderTests
{
    [Fact]
    public void TryParse_FullVia_ReadsEveryPart()
    {
        Assert.True(ViaHeader.TryParse("SIP/2.0/TLS ua.example.com:5061;branch=z9hG4bK776;received=192.0.2.7;rport=40123"u8, out var via));

        Assert.Equal("SIP"u8, via.ProtocolName);
        Assert.Equal("2.0"u8, via.ProtocolVersion);
        Assert.Equal("TLS"u8, via.Transport);
        Assert.Equal("ua.example.com"u8, via.Host);
        Assert.Equal(5061, via.Port);
        Assert.Equal("z9hG4bK776"u8, via.Branch);
        Assert.Equal("192.0.2.7"u8, via.Received);
        Assert.True(via.HasRport);
        Assert.True(via.HasRfc3261Branch);
    }

    [Fact]
    public void TryParse_LwsEverywhereAllowed_IsAccepted()
    {
        Assert.True(ViaHeader.TryParse("SIP  /   2.0\r\n /UDP\r\n    192.0.2.2 : 5060 ;branch = z9hG4bK1"u8, out var via));

        Assert.Equal("UDP"u8, via.Transport);
        Assert.Equal(5060, via.Port);
        Assert.Equal("z9hG4bK1"u8, via.Branch);
    }

    [Fact]
    public void TryParse_ReceivedBareIPv6_IsAccepted()
    {
        Assert.True(ViaHeader.TryParse("SIP/2.0/TLS [2001:db8::9]:5061;branch=z9hG4bK1;received=2001:db8::7;rport=5061"u8, out var via));

        Assert.Equal("2001:db8::7"u8, via.Received);
        Assert.Equal("[2001:db8::9]"u8, via.Host);
    }

    [Theory]
    [InlineData("SIP/2.0/UDP host.example.com;branch=z9hG4bK", false)]
    [InlineData("SIP/2.0/UDP host.example.com;branch=1234", false)]
    [InlineData("SIP/2.0/UDP host.example.com", false)]
    [InlineData("SIP/2.0/UDP host.example.com;branch=z9hG4bKx", true)]
    public void HasRfc3261Branch_MagicCookie_IsRequiredWithSuffix(string text, bool expected)
    {
        Assert.True(ViaHeader.TryParse(Encoding.UTF8.GetBytes(text), out var via));

        Assert.Equal(expected, via.HasRfc3261Branch);
    }

    [Theory]
    [InlineData("SIP/2.0/UDP 192.0.2.15;;")]
    [InlineData("SIP/2.0 host.example.com")]
    [InlineData("SIP/2.0/UDPhost.example.com")]
    [InlineData("SIP/2.0/UDP host.example.com:port")]
    [InlineData("SIP/2.0/UDP")]
    [InlineData("SIP/2.0/UDP host.example.com x")]
    public void TryParse_Malformed_ReturnsFalse(string text)
    {
        Assert.False(ViaHeader.TryParse(Encoding.UTF8.GetBytes(text), out _));
    }
}
