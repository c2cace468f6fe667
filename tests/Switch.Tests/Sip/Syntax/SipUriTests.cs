using System.Text;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Tests.Sip.Syntax;

public sealed class SipUriTests
{
    [Fact]
    public void TryParse_FullUri_SplitsEveryComponent()
    {
        Assert.True(SipUri.TryParse("sips:alice:secret@atlanta.example.com:5061;transport=tls;lr?subject=project%20x&priority=urgent"u8, out var uri));

        Assert.True(uri.IsSecure);
        Assert.Equal("alice"u8, uri.User);
        Assert.Equal("secret"u8, uri.Password);
        Assert.Equal("atlanta.example.com"u8, uri.Host);
        Assert.Equal(SipHostKind.HostName, uri.HostKind);
        Assert.Equal(5061, uri.Port);
        Assert.Equal("atlanta.example.com:5061"u8, uri.HostPort);
        Assert.Equal(";transport=tls;lr"u8, uri.Parameters);
        Assert.True(uri.TryGetParameter("TRANSPORT"u8, out var transport));
        Assert.Equal("tls"u8, transport);
        Assert.True(uri.IsLooseRouter);
        Assert.Equal("subject=project%20x&priority=urgent"u8, uri.Headers);
    }

    [Theory]
    [InlineData("sip:192.0.2.4", SipHostKind.IPv4, -1)]
    [InlineData("sip:alice@192.0.2.4:5060", SipHostKind.IPv4, 5060)]
    [InlineData("sip:[2001:db8::10]", SipHostKind.IPv6, -1)]
    [InlineData("sip:bob@[2001:db8::10]:5070;transport=tcp", SipHostKind.IPv6, 5070)]
    [InlineData("SIP:host.example.com.", SipHostKind.HostName, -1)]
    [InlineData("sip:+1-212-555-1212:1234@gateway.com;user=phone", SipHostKind.HostName, -1)]
    public void TryParse_HostForms_AreClassified(string text, SipHostKind kind, int port)
    {
        Assert.True(SipUri.TryParse(Encoding.UTF8.GetBytes(text), out var uri));

        Assert.Equal(kind, uri.HostKind);
        Assert.Equal(port, uri.Port);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sip:")]
    [InlineData("tel:+15551234")]
    [InlineData("sip:@example.com")]
    [InlineData("sip:alice@")]
    [InlineData("sip:alice@exa mple.com")]
    [InlineData("sip:alice@example.com:")]
    [InlineData("sip:alice@example.com:65536")]
    [InlineData("sip:alice@192.0.2.256")]
    [InlineData("sip:alice@[2001:db8::zz]")]
    [InlineData("sip:alice@[2001:db8::1")]
    [InlineData("sip:alice@-bad-.example.com")]
    [InlineData("sip:al%4@example.com")]
    [InlineData("sip:alice@example.com;;lr")]
    [InlineData("sip:alice@example.com;=x")]
    [InlineData("sip:alice@example.com?novalue")]
    [InlineData("sip:alice@example.com>")]
    [InlineData(" sip:alice@example.com")]
    public void TryParse_Malformed_ReturnsFalse(string text)
    {
        Assert.False(SipUri.TryParse(Encoding.UTF8.GetBytes(text), out _));
    }

    [Theory]
    [InlineData("%75se%72", "user")]
    [InlineData("I%20have%20spaces", "I have spaces")]
    [InlineData("null-%00-null", "null-\0-null")]
    [InlineData("plain", "plain")]
    public void TryUnescape_Escapes_AreDecoded(string escaped, string expected)
    {
        var source = Encoding.UTF8.GetBytes(escaped);
        var destination = new byte[source.Length];

        Assert.True(SipUri.TryUnescape(source, destination, out var written));

        Assert.Equal(expected, Encoding.UTF8.GetString(destination, 0, written));
    }

    [Fact]
    public void TryUnescape_TruncatedEscape_ReturnsFalse()
    {
        Assert.False(SipUri.TryUnescape("abc%4"u8, new byte[8], out _));
    }

    [Fact]
    public void TryParse_NoUserInfo_HasNoUser()
    {
        Assert.True(SipUri.TryParse("sip:registrar.example.com"u8, out var uri));

        Assert.False(uri.HasUser);
        Assert.False(uri.HasPassword);
        Assert.False(uri.HasHeaders);
    }

    // RFC 3261 §19.1.4 examples.
    [Theory]
    [InlineData("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp")]
    [InlineData("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5")]
    [InlineData("sip:carol@chicago.com", "sip:carol@chicago.com;security=on")]
    [InlineData("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com", "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com")]
    [InlineData("sip:alice@atlanta.com?subject=project%20x&priority=urgent", "sip:alice@atlanta.com?priority=urgent&subject=project%20x")]
    public void IsEquivalentTo_Rfc3261EquivalentPairs_ReturnsTrue(string left, string right)
    {
        Assert.True(Compare(left, right));
        Assert.True(Compare(right, left));
    }

    [Theory]
    [InlineData("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP")]
    [InlineData("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060")]
    [InlineData("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp")]
    [InlineData("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp")]
    [InlineData("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting")]
    [InlineData("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4")]
    [InlineData("sip:carol@chicago.com;security=on", "sip:carol@chicago.com;security=off")]
    [InlineData("sip:alice@atlanta.com", "sips:alice@atlanta.com")]
    public void IsEquivalentTo_Rfc3261DifferentPairs_ReturnsFalse(string left, string right)
    {
        Assert.False(Compare(left, right));
        Assert.False(Compare(right, left));
    }

    private static bool Compare(string left, string right)
    {
        Assert.True(SipUri.TryParse(Encoding.UTF8.GetBytes(left), out var a));
        Assert.True(SipUri.TryParse(Encoding.UTF8.GetBytes(right), out var b));
        return a.IsEquivalentTo(b);
    }
}
