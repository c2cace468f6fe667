using HostedPbx.Data.Certificates;
using HostedPbx.Data.Devices;
using HostedPbx.Switch.Sip.Transport.Peers;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Switch.Tests.Nodes;

/// <summary>A switch node is admitted by its certificate from the platform CA, bound to it while it lives; nothing else passes as a node.</summary>
public sealed class NodeRecognizerTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CertificateIssuer _issuer;
    private readonly CertificateAuthority _platform;
    private readonly CertificateAuthority _devices;
    private readonly CertificateAuthority _stranger;
    private readonly IssuedCertificate _nodeB;
    private readonly Dictionary<string, string> _live = [];

    public NodeRecognizerTests()
    {
        _issuer = new CertificateIssuer(Options.Create(new CertificateAuthorityOptions()), TimeProvider.System);
        _platform = _issuer.CreateRoot();
        _devices = _issuer.CreateIntermediate(_platform);
        _stranger = _issuer.CreateRoot();
        _nodeB = _issuer.IssueNode(_platform, "node-b", ["127.0.0.3"]);
        _live["node-b"] = CertificateIdentity.Sha256Fingerprint(_nodeB.Certificate);
    }

    private NodeRecognizer Recognizer => new(new PeerTrust([_platform.Certificate]), _time, name => _live.GetValueOrDefault(name));

    [Fact]
    public void Recognize_LiveNodesOwnCertificate_AdmittedAsThatNode()
    {
        var outcome = Recognizer.Recognize(_nodeB.Certificate, []);

        Assert.NotNull(outcome);
        Assert.True(outcome.Succeeded);
        Assert.Equal((PeerKind.Node, "node-b", (Guid?)null, true, NodeRecognizer.VerifiedBy),
            (outcome.Identity.Kind, outcome.Identity.Name, outcome.Identity.TenantId, outcome.Identity.CertificateVerified, outcome.Identity.VerifiedBy));
        Assert.Null(Recognizer.StillHolds(outcome.Identity));
    }

    [Fact]
    public void Recognize_HandsetCertificateOfThePlatform_NotANode()
    {
        using var handset = _issuer.IssueDevice(_devices, MacAddress.Parse("0015651a2b3c"));

        Assert.Null(Recognizer.Recognize(handset.Certificate, [_devices.Certificate]));
    }

    [Fact]
    public void Recognize_NodeNameFromAnotherCa_Refused()
    {
        using var forged = _issuer.IssueNode(_stranger, "node-b", ["127.0.0.3"]);

        var outcome = Recognizer.Recognize(forged.Certificate, []);

        Assert.False(outcome!.Succeeded);
        Assert.Contains("does not verify against the platform CA", outcome.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Recognize_SecondCertificateForTheNodeOrDeadNode_Refused()
    {
        using var second = _issuer.IssueNode(_platform, "node-b", ["127.0.0.3"]);
        using var unknown = _issuer.IssueNode(_platform, "node-c", ["127.0.0.4"]);

        var other = Recognizer.Recognize(second.Certificate, []);
        var dead = Recognizer.Recognize(unknown.Certificate, []);

        Assert.Contains("is not the one switch node node-b is bound to", other!.Refusal, StringComparison.Ordinal);
        Assert.Equal("node-c is not a live switch node", dead!.Refusal);
    }

    [Fact]
    public void StillHolds_NodeExpired_SaysSo()
    {
        var admitted = Recognizer.Recognize(_nodeB.Certificate, [])!.Identity!;
        _live.Clear();

        Assert.Equal("node-b is no longer a live switch node", Recognizer.StillHolds(admitted));
    }

    public void Dispose()
    {
        _nodeB.Dispose();
        _stranger.Dispose();
        _devices.Dispose();
        _platform.Dispose();
    }
}
