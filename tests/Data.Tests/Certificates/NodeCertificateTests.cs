using System.Net;
using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Tests.Certificates.Support;

namespace HostedPbx.Data.Tests.Certificates;

/// <summary>A switch node's certificate carries its role; a handset's or the switch's server certificate never reads as a node.</summary>
public sealed class NodeCertificateTests
{
    [Fact]
    public void IssueNode_NameAndAddress_ReadsAsThatNodeForServerAndClientTls()
    {
        using var pki = new TestPki();
        using var node = pki.Issuer.IssueNode(pki.Root, "node-b", ["127.0.0.3"]);

        Assert.True(NodeCertificate.TryReadNodeName(node.Certificate, out var name));
        Assert.Equal("node-b", name);
        var usages = node.Certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value);
        Assert.Equal(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], usages.Order());
        var san = node.Certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal([IPAddress.Parse("127.0.0.3")], san.EnumerateIPAddresses());
    }

    [Fact]
    public void TryReadNodeName_HandsetOrServerCertificate_False()
    {
        using var pki = new TestPki();
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);
        using var server = pki.Issuer.IssueServer(pki.Root, ["127.0.0.1"]);

        Assert.False(NodeCertificate.TryReadNodeName(device.Certificate, out _));
        Assert.False(NodeCertificate.TryReadNodeName(server.Certificate, out _));
    }

    [Fact]
    public void IssueNode_EmptyName_Refused()
    {
        using var pki = new TestPki();

        Assert.Throws<ArgumentException>(() => pki.Issuer.IssueNode(pki.Root, " ", ["127.0.0.3"]));
    }
}
