using System.Text;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Tests.Sip.Syntax;

public sealed class NameAddressTests
{
    [Theory]
    [InlineData("\"Alice \\\"A\\\"\" <sip:alice@example.com>;tag=1", "\"Alice \\\"A\\\"\"", "sip:alice@example.com", "1")]
    [InlineData("Bob Smith <sip:bob@example.com>", "Bob Smith", "sip:bob@example.com", "")]
    [InlineData("caller<sip:caller@example.com>;tag=323", "caller", "sip:caller@example.com", "323")]
    [InlineData("<sip:a@b.example;lr>", "", "sip:a@b.example;lr", "")]
    [InlineData("sip:a@b.example;tag=x", "", "sip:a@b.example", "x")]
    [InlineData("<http://www.example.com>;tag=3", "", "http://www.example.com", "3")]
    [InlineData("isbn:2983792873", "", "isbn:2983792873", "")]
    [InlineData("sip:a@b.example;+sip.instance=\"<urn:uuid:f81d4fae>\";tag=7", "", "sip:a@b.example", "7")]
    [InlineData("<sip:a@b.example>;+sip.instance=\"<urn:uuid:f81d4fae>\";reg-id=1", "", "sip:a@b.example", "")]
    public void TryParse_Forms_SplitDisplayNameUriAndTag(string text, string displayName, string uri, string tag)
    {
        Assert.True(NameAddress.TryParse(Encoding.UTF8.GetBytes(text), out var address));

        Assert.Equal(displayName, Encoding.UTF8.GetString(address.DisplayName));
        Assert.Equal(uri, Encoding.UTF8.GetString(address.Uri));
        Assert.Equal(tag, Encoding.UTF8.GetString(address.Tag));
    }

    [Theory]
    [InlineData("\"unterminated <sip:a@b.example>")]
    [InlineData("Bell, Alexander <sip:a@b.example>")]
    [InlineData("< sip:a@b.example >")]
    [InlineData("sip:a@b.example?Route=x")]
    [InlineData("<sip:a@b.example")]
    [InlineData("<sip:a@b.example>;;")]
    [InlineData("")]
    public void TryParse_Malformed_ReturnsFalse(string text)
    {
        Assert.False(NameAddress.TryParse(Encoding.UTF8.GetBytes(text), out _));
    }
}
