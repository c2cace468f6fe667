using System.Net.Security;
using HostedPbx.Switch.Nodes;
using HostedPbx.Switch.Sip.Transport.Peers;

namespace HostedPbx.Switch.Tests.Nodes;

/// <summary>
/// What makes a <see cref="Calls.Support.CallHarness"/> a switch node (issue 14): its name, its node certificate (as server
/// and as client), the recognizer of the other nodes, the live nodes, and the link that carries a connection to another one.
/// </summary>
internal sealed record NodeSide(
    string Name,
    SslStreamCertificateContext Own,
    INodeRecognizer Recognizer,
    Func<IReadOnlyDictionary<string, LiveNode>> Live,
    Func<PeerConnector, PeerTarget, CancellationToken, Task<PeerConnectOutcome>> Link);
