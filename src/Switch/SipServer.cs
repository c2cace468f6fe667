using System.Net;
using System.Net.Sockets;
using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Switch.Calls;
using HostedPbx.Switch.Calls.Trunks;
using HostedPbx.Switch.Calls.Voicemail;
using HostedPbx.Switch.Devices;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Nodes;
using HostedPbx.Switch.Sip.Registrar;
using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Sip.Transport;
using HostedPbx.Switch.Sip.Transport.Peers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HostedPbx.Switch;

/// <summary>
/// The switch's SIP service: loads the device directory, binds the TLS port, and builds everything below with <c>new</c>
/// (STYLE §6 Composition).
/// </summary>
internal sealed class SipServer(
    IOptions<SwitchOptions> options,
    IDbContextFactory<PbxDbContext> contexts,
    NpgsqlDataSource dataSource,
    SwitchAudit audit,
    KeyProtector keys,
    IOptions<MailboxOptions> mailboxOptions,
    SwitchMetrics metrics,
    TimeProvider time,
    ILoggerFactory loggers,
    Calls.Recording.RecordingService recordings,
    IOptions<NodeOptions> nodeOptions) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger("HostedPbx.Switch.Sip");
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listening;
    private TlsListener? _listener;
    private DeviceDirectoryCache? _directory;
    private DirectoryChangeListener? _changes;
    private RegistrationStore? _registrations;
    private CallRecordStore? _records;
    private SipTimerScheduler? _scheduler;
    private RelayEngine? _relayEngine;
    private MailboxChangeListener? _mailboxChanges;
    private Task? _prompts;
    private NodeTable? _nodes;
    private NodeHeartbeat? _heartbeat;
    private NodeDrain? _drain;
    private CallController? _calls;
    private Calls.Nodes.NodeRoutes? _nodeRoutes;
    private ConnectionTable? _connections;
    private Task? _recordsWritten;
    private Calls.Trunks.Keepalive.TrunkKeepalive? _keepalive;
    private Sip.Transport.Udp.PlainTrunkSocket? _plainTrunks;
    private Sip.Transport.Tcp.PlainTcpTrunks? _plainTcpTrunks;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var certificate = ServerCertificate.Load(o.ResolvedCertificatePath, o.ResolvedPrivateKeyPath);
        var endpoint = IPEndPoint.Parse(o.SipListen);
        _directory = new DeviceDirectoryCache(new DeviceDirectoryLoader(contexts).LoadAsync, time, TimeSpan.FromSeconds(o.DirectoryRefreshSeconds), _logger);
        await _directory.RefreshAsync(cancellationToken);
        _changes = new DirectoryChangeListener(dataSource, _directory, time, _logger);
        // The node takes its name before it touches any registration: a name held by a live node refuses the start, and
        // that node's registrations stay (issue 14).
        var n = nodeOptions.Value;
        _nodes = new NodeTable(
            contexts, o.NodeName, o.SipListen, CertificateIdentity.Sha256Fingerprint(certificate.TargetCertificate), TimeSpan.FromSeconds(n.NodeDeadAfterSeconds), time);
        await _nodes.JoinAsync(cancellationToken);
        SwitchLog.NodeJoined(_logger, o.NodeName, o.SipListen);
        _registrations = new RegistrationStore(contexts, o.NodeName, _logger, time);
        await _registrations.ClearNodeAsync(cancellationToken);
        _records = new CallRecordStore(contexts, o.NodeName, time, _logger) { Metrics = metrics };
        await _records.CloseAbandonedAsync(cancellationToken);
        _scheduler = new SipTimerScheduler(time);
        var timers = new SipTimers();
        var transactions = new TransactionTable();
        var connections = _connections = new ConnectionTable();
        var bindings = new BindingTable();
        var registrations = _registrations;
        _heartbeat = new NodeHeartbeat(_nodes, TimeSpan.FromSeconds(n.NodeHeartbeatSeconds), time, _logger)
        {
            Rejoined = () => bindings.AllLive(time.GetUtcNow()).ForEach(registrations.Save),
        };
        _drain = new NodeDrain(TimeSpan.FromSeconds(n.DrainGraceSeconds), time);
        // The first beat at once: it expires nodes that died while this one was down and learns the live ones.
        await _heartbeat.BeatAsync(cancellationToken);
        var heartbeat = _heartbeat;
        var registrar = new Registrar(
            bindings, _registrations, audit, time, new RegistrarLimits(o.MinExpiresSeconds, o.MaxExpiresSeconds, MaxBindingsPerExtension: o.MaxBindingsPerExtension), _logger)
        {
            Drain = _drain,
        };
        _relayEngine = new RelayEngine(o.RelayThreads, TimeSpan.FromMicroseconds(o.RelayGatherMicroseconds));
        var ports = new PortPool(endpoint.Address, o.MediaPortMin, o.MediaPortMax);
        var prompts = new Calls.Applications.PromptLibrary(o.PromptsDirectory, _logger, MailboxPrompts.Texts);
        // Speaking the missing prompts (espeak-ng and sox, once per folder) can take a minute on a loaded machine: the
        // switch serves meanwhile, and a prompt not made yet is left out of what a caller hears.
        _prompts = prompts.EnsureAsync(cancellationToken);

        // PSTN routes and toll-fraud guards, read again with every new device directory.
        // One RFC 3263 resolver for every name the switch dials: carriers and nodes (connector), plain trunks (directory).
        var locator = Sip.Transport.Resolution.SipServerLocator.Create(o.TrunkDnsServer);
        var pstnDirectory = new PstnDirectoryCache(new PstnDirectoryLoader(contexts, time, locator).LoadAsync, _logger);
        await pstnDirectory.RefreshAsync(cancellationToken);
        _directory.OnSwapped(swapped => _ = pstnDirectory.RefreshAsync(CancellationToken.None));
        var pstn = new PstnGate(() => pstnDirectory.Current, new PstnSuspensionStore(contexts, _logger), audit, time, _logger)
        {
            OtherNodes = () => heartbeat.OtherNodesCalls,
        };
        // The toll-fraud limits count every live node's outbound calls: each beat publishes this node's.
        heartbeat.ExternalCalls = pstn.RunningHere;
        // Trunk legs reach carriers through the peer connector, made below once the identity gate exists.
        PeerConnector? connector = null;
        Func<PeerConnector> connectorMade = () => connector ?? throw new InvalidOperationException("The peer connector is made before the switch listens.");
        TrunkServices? trunkServices = null;
        // Issue 11: each node probes every carrier with OPTIONS; routes put the trunks it finds down last. A node without
        // the plain-trunk socket cannot carry plain trunks and does not judge them: a trunk shows down when any node finds it so.
        _keepalive = new Calls.Trunks.Keepalive.TrunkKeepalive(
            () => pstnDirectory.Current, connectorMade, new Calls.Trunks.Keepalive.KeepaliveSignalling(transactions, _scheduler, timers, o.SipListen),
            TimeSpan.FromSeconds(o.TrunkKeepaliveSeconds), o.TrunkKeepaliveMisses, new Calls.Trunks.Keepalive.TrunkStateStore(contexts, o.NodeName, _logger).SaveAsync,
            time, _logger, o.PlainTrunkListen.Length > 0 ? (trunk, ct) => trunkServices!.PlainFlowAsync(trunk, ct) : null);
        var trunks = trunkServices = new TrunkServices(() => pstnDirectory.Current, connectorMade, new TrunkChannels(), keys, audit, _logger) { Keepalive = _keepalive };

        // A message the last run left half-written is completed up to its last whole second before any call comes in.
        var mailboxStore = new MailboxStore(contexts, keys, mailboxOptions.Value.ResolvedDirectory, time, _logger);
        await mailboxStore.RecoverAsync(cancellationToken);
        var directory = _directory;
        var mailboxes = new Mailboxes(mailboxStore, prompts, () => directory.Current, time, _logger, audit, metrics.ApplicationDrops);
        // Issue 14: callees registered on other nodes, reached over connections the connector (made below) opens.
        var nodeTable = _nodes;
        _nodeRoutes = new Calls.Nodes.NodeRoutes(
            o.NodeName, nodeTable.RemoteHoldersAsync, () => heartbeat.Live,
            (target, ct) => connector?.GetOrConnectAsync(target, ct) ?? Task.FromResult(new PeerConnectOutcome(null, "the switch is not listening yet")),
            TimeSpan.FromSeconds(n.NodeHeartbeatSeconds), time, _logger);
        var calls = _calls = new CallController(
            transactions, _scheduler, timers, connections, bindings, new MediaRelay(ports, time, _relayEngine, metrics.Relay), ports, prompts, _records, audit, time,
            new CallLimits(o.SipListen, TimeSpan.FromSeconds(o.NoAnswerSeconds), TimeSpan.FromSeconds(o.MediaTimeoutSeconds), TimeSpan.FromSeconds(5), o.MaxPendingInvitesPerDevice),
            _logger, pstn, mailboxes, trunks)
        {
            Recorder = recordings.Recorder,
            Drain = _drain,
            NodeRoutes = _nodeRoutes,
        };
        _directory.OnSwapped(changed => _ = recordings.ReloadPoliciesAsync(CancellationToken.None));
        var subscriptions = new MailboxSubscriptions(mailboxStore, transactions, _scheduler, timers, connections, o.SipListen, audit, time, _logger);
        _mailboxChanges = new MailboxChangeListener(dataSource, subscriptions, time, _logger);
        var dispatcher = new SipDispatcher(transactions, _scheduler, timers, registrar, calls, () => directory.Current, subscriptions,
            peers: new Dictionary<PeerKind, ISipConnectionHandler>
            {
                [PeerKind.Trunk] = new TrunkRequests(transactions, _scheduler, timers, calls, () => directory.Current, trunks),
                [PeerKind.Node] = new Calls.Nodes.NodeRequests(transactions, _scheduler, timers, calls, () => directory.Current),
            });
        metrics.Observe(bindings, connections, calls, certificate.TargetCertificate.NotAfter.ToUniversalTime(), time);
        metrics.Keepalive = _keepalive;
        // Identity holds for the life of a connection: each message and each new directory re-checks it.
        var gate = new IdentityGate(
            dispatcher, connections, () => directory.Current, audit, _logger, (c, device) => registrar.OnLinesChanged(c.Id, device.Extensions), () => pstnDirectory.Current.Peers);
        _directory.OnSwapped(gate.OnDirectoryChanged);
        pstnDirectory.OnSwapped(changed => gate.OnPeersChanged(changed.Peers));
        // Carriers (and, issue 14, nodes) connect with certificates that are not handsets'; nodes through the node hook.
        // Issue 14: a node is recognised by its certificate from the platform CA, bound to the one it joined with.
        var nodeRecognizer = NodeRecognizer.PlatformTrust(o.ResolvedCertificatePath) is { } platformCa
            ? new NodeRecognizer(platformCa, time, name => heartbeat.Live.TryGetValue(name, out var node) ? node.CertificateFingerprint : null)
            : null;
        var peerAuthenticator = new PeerAuthenticator(PeerTrust.Load(o.CarrierTrustAnchorPath), time, nodeRecognizer);
        var limits = new SipConnectionLimits(
            TimeSpan.FromSeconds(o.IdleTimeoutSeconds), TimeSpan.FromSeconds(o.HandshakeTimeoutSeconds), TimeSpan.FromSeconds(o.PartialMessageSeconds),
            o.MaxConnectionsPerDevice, o.MaxHandshakesPerAddress);
        connector = new PeerConnector(certificate, peerAuthenticator, connections, gate, time, limits, _logger, _stopping.Token)
        {
            Locator = locator,
        };
        // Issue 11: named plain trunks (UDP and TCP), only when the operator gave them a socket; handsets never reach it.
        if (o.PlainTrunkListen.Length > 0)
        {
            var plain = _plainTrunks = new Sip.Transport.Udp.PlainTrunkSocket(
                IPEndPoint.Parse(o.PlainTrunkListen), connections, gate, limits, time, _logger, _stopping.Token);
            trunks.PlainTrunks = plain;
            plain.Update(pstnDirectory.Current.PlainPeers);
            pstnDirectory.OnSwapped(changed => plain.Update(changed.PlainPeers));
            // RFC 3261 §18.2.1: plain TCP trunks on the same address and port as the UDP socket.
            var plainTcp = _plainTcpTrunks = new Sip.Transport.Tcp.PlainTcpTrunks(plain.LocalEndPoint, connections, gate, limits, time, _logger, _stopping.Token);
            trunks.PlainTcpTrunks = plainTcp;
            plainTcp.Update(pstnDirectory.Current.PlainPeers);
            pstnDirectory.OnSwapped(changed => plainTcp.Update(changed.PlainPeers));
        }

        _listener = new TlsListener(
            certificate, () => directory.Current, new DeviceAuthenticator(time), connections, gate, audit, time,
            limits, _logger, peerAuthenticator, () => pstnDirectory.Current.Peers);
        _listening = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listening.Bind(endpoint);
        _listening.Listen(512);
        SwitchLog.Listening(_logger, endpoint);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _listening?.Dispose();
        await DrainAsync(cancellationToken);
        // Connections the switch opened to carriers end with it.
        await _stopping.CancelAsync();
        await base.StopAsync(cancellationToken);
        _scheduler?.Dispose();
        _relayEngine?.Dispose();
        _plainTrunks?.Dispose();
        _plainTcpTrunks?.Dispose();
        _stopping.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.WhenAll(
            Guard(_directory!.RunAsync(stoppingToken)),
            Guard(_changes!.RunAsync(stoppingToken)),
            Guard(_mailboxChanges!.RunAsync(stoppingToken)),
            Guard(_prompts!),
            Guard(_registrations!.RunAsync(stoppingToken)),
            Guard(_recordsWritten = _records!.RunAsync(stoppingToken)),
            Guard(_heartbeat!.RunAsync(stoppingToken)),
            Guard(_nodeRoutes!.RunAsync(stoppingToken)),
            Guard(_keepalive!.RunAsync(stoppingToken)),
            Guard(_plainTrunks?.RunAsync(stoppingToken) ?? Task.CompletedTask),
            Guard(_plainTcpTrunks?.RunAsync(stoppingToken) ?? Task.CompletedTask),
            Guard(_listener!.RunAsync(_listening!, stoppingToken)));
    }

    /// <summary>
    /// A graceful stop (issue 14): no new connections or calls, the calls in progress go on for the grace period, then
    /// the handsets' connections close so they re-register on another node; the node's row and registrations go last.
    /// </summary>
    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        if (_nodes is null || _drain is null || _calls is null || _connections is null)
        {
            return;
        }

        var (calls, connections, grace) = (_calls, _connections, nodeOptions.Value.DrainGraceSeconds);
        // Refusing comes before the row says so: a caller who learns from the row that this node drains meets a 503 here.
        _drain.Begin();
        SwitchLog.NodeDraining(_logger, _nodes.Name, calls.ActiveCalls.Count, grace);
        try
        {
            await _nodes.MarkDrainingAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            SwitchLog.NodeLeaveFailed(_logger, _nodes.Name, ex);
        }

        var closed = 0;
        try
        {
            var left = await _drain.DrainAsync(() => calls.ActiveCalls.Count, () =>
            {
                foreach (var connection in connections.All.Where(c => !c.IsClosed))
                {
                    connection.Close();
                    closed++;
                }
            }, cancellationToken);
            SwitchLog.NodeDrained(_logger, _nodes.Name, left, closed);
            // The records of the calls that finished while draining are written before the node goes.
            _records?.Complete();
            try
            {
                await (_recordsWritten ?? Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(10), time, cancellationToken);
            }
            catch (TimeoutException)
            {
                // The database is away: the next start closes this node's unfinished records (CloseAbandonedAsync).
            }

            await _nodes.LeaveAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            SwitchLog.NodeLeaveFailed(_logger, _nodes.Name, ex);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ran out first: the others expire this node's registrations when its heartbeat stops.
        }
    }

    private static async Task Guard(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }
}
