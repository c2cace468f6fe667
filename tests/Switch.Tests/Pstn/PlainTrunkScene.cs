using System.Net;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;
using HostedPbx.Switch.Calls.Trunks;
using HostedPbx.Switch.Calls.Trunks.Keepalive;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Sip.Transport;
using HostedPbx.Switch.Sip.Transport.Peers;
using HostedPbx.Switch.Sip.Transport.Tcp;
using HostedPbx.Switch.Sip.Transport.Udp;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Switch.Tests.Pstn;

/// <summary>
/// What the plain-trunk tests (issue 11) share: a stop token tied to the test, fake time, the switch's plain-trunk UDP
/// socket or TCP listener on loopback, a named trunk the operator allowed plain transport for (as the directory holds it
/// and as the socket learns it), the trunk services and OPTIONS keep-alive that dial through the same function trunk legs
/// do, and a carrier's answer. Each test class owns one and disposes it.
/// </summary>
internal sealed class PlainTrunkScene : IDisposable
{
    private static readonly SipConnectionLimits s_limits =
        new(TimeSpan.FromHours(1), TimeSpan.FromSeconds(10), TimeSpan.FromHours(1), MaxConnectionsPerDevice: 10, MaxHandshakesPerAddress: 64);

    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private readonly SipTimers _timers = new();
    private readonly List<IDisposable> _owned = [];

    public PlainTrunkScene() => TransactionsOnly = new TransactionsOnlyHandler(Transactions);

    public CancellationToken Stop => _stop.Token;

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public TransactionTable Transactions { get; } = new();

    /// <summary>Only what the keep-alive needs of the dispatcher: messages on a flow go to their transaction, as the switch's dispatcher hands them first.</summary>
    public ISipConnectionHandler TransactionsOnly { get; }

    /// <summary>The trunk states the keep-alive stored, in order.</summary>
    public List<TrunkStateChange> Stored { get; } = [];

    /// <summary>The plain-trunk UDP socket on a loopback port of its own, receiving.</summary>
    public PlainTrunkSocket Socket(ISipConnectionHandler handler)
    {
        var socket = Own(new PlainTrunkSocket(new IPEndPoint(IPAddress.Loopback, 0), new ConnectionTable(), handler, s_limits, Time, NullLogger.Instance, Stop));
        _ = socket.RunAsync(Stop);
        return socket;
    }

    /// <summary>The plain-trunk TCP listener on a loopback port of its own; accepting connections only when <paramref name="accepting"/>.</summary>
    public PlainTcpTrunks Tcp(ISipConnectionHandler handler, bool accepting)
    {
        var trunks = Own(new PlainTcpTrunks(new IPEndPoint(IPAddress.Loopback, 0), new ConnectionTable(), handler, s_limits, Time, NullLogger.Instance, Stop));
        if (accepting)
        {
            _ = trunks.RunAsync(Stop);
        }

        return trunks;
    }

    /// <summary>A plain trunk (or carrier) <paramref name="name"/> bound to <paramref name="at"/>: no certificate, known by its address.</summary>
    public static PlainPeer Peer(string name, Guid id, Guid tenantId, IPEndPoint at, TrunkTransport transport = TrunkTransport.Udp) =>
        new(new PeerIdentity(PeerKind.Trunk, name, id, tenantId, "", "", false, "no certificate"), at, transport);

    /// <summary><paramref name="trunk"/> as the plain-trunk socket or listener learns it from the directory.</summary>
    public static PlainPeer Peer(PstnTrunk trunk, IPEndPoint at) => Peer(trunk.Name, trunk.Id, trunk.TenantId, at, trunk.Endpoint.Transport);

    /// <summary>A tenant's trunk to the carrier at <paramref name="carrierAt"/> over plain <paramref name="transport"/>, which the operator allowed.</summary>
    public static PstnTrunk Trunk(string name, IPEndPoint carrierAt, TrunkTransport transport)
    {
        var host = carrierAt.Address.ToString();
        var tenant = Guid.CreateVersion7();
        var id = Guid.CreateVersion7();
        var endpoint = new TrunkEndpoint(host, carrierAt.Port, transport, host, false, SrtpMode.Off, null, null, KeyPurpose.TrunkPassword(id));
        return new PstnTrunk(
            id, tenant, name, endpoint, 2, new PeerTarget(PeerKind.Trunk, name, id, tenant, host, carrierAt.Port, host, VerifyCertificate: false), PlainTransportAllowed: true);
    }

    /// <summary>What every trunk leg shares, over a directory of <paramref name="trunk"/> and the plain socket or listener given.</summary>
    public TrunkServices Services(PstnTrunk trunk, PlainTrunkSocket? udp = null, PlainTcpTrunks? tcp = null)
    {
        var directory = new PstnDirectory([], [], null, [trunk]);
        return new TrunkServices(() => directory, () => throw new InvalidOperationException("a plain trunk is not dialled over TLS"), new TrunkChannels(), null,
            new SwitchAudit(Time), NullLogger.Instance)
        {
            PlainTrunks = udp,
            PlainTcpTrunks = tcp,
        };
    }

    /// <summary>The OPTIONS keep-alive of <paramref name="trunk"/> every 30 s, dialling through <paramref name="services"/>, storing into <see cref="Stored"/>.</summary>
    public TrunkKeepalive Keepalive(PstnTrunk trunk, TrunkServices services, int missesToDown = 2)
    {
        var directory = new PstnDirectory([], [], null, [trunk]);
        return new TrunkKeepalive(
            () => directory, () => throw new InvalidOperationException("a plain trunk is not probed over TLS"),
            new KeepaliveSignalling(Transactions, new SipTimerScheduler(Time), _timers, "127.0.0.1:5061"), TimeSpan.FromSeconds(30), missesToDown,
            (change, _) =>
            {
                Stored.Add(change);
                return Task.CompletedTask;
            },
            Time, NullLogger.Instance, services.PlainFlowAsync);
    }

    public static string Header(string message, string name) =>
        message.Split("\r\n").First(line => line.StartsWith(name + ":", StringComparison.Ordinal));

    /// <summary>RFC 3261 §8.2.6.2: the answer copies Via, From, Call-ID and CSeq, and tags the To.</summary>
    public static string Answer(string request, int status)
    {
        var copied = request.Split("\r\n").Where(line => line.StartsWith("Via:", StringComparison.Ordinal) || line.StartsWith("From:", StringComparison.Ordinal)
            || line.StartsWith("Call-ID:", StringComparison.Ordinal) || line.StartsWith("CSeq:", StringComparison.Ordinal));
        var phrase = status == 200 ? "OK" : "Method Not Allowed";
        return $"SIP/2.0 {status} {phrase}\r\n{string.Join("\r\n", copied)}\r\n{Header(request, "To")};tag=carrier\r\nContent-Length: 0\r\n\r\n";
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        _stop.Dispose();
    }

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private sealed class TransactionsOnlyHandler(TransactionTable transactions) : ISipConnectionHandler
    {
        public void OnMessage(SipConnection connection, SipMessage message)
        {
            using (message)
            {
                transactions.TryDispatch(message);
            }
        }

        public void OnClosed(SipConnection connection)
        {
        }
    }
}
