using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using HostedPbx.Data.Certificates;
using HostedPbx.Switch.Calls;
using HostedPbx.Switch.Calls.Applications;
using HostedPbx.Switch.Calls.Trunks;
using HostedPbx.Switch.Calls.Voicemail;
using HostedPbx.Switch.Devices;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Sip.Registrar;
using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Sip.Transport;
using HostedPbx.Switch.Sip.Transport.Peers;
using HostedPbx.Switch.Tests.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Switch.Tests.Calls.Support;

/// <summary>
/// The switch's SIP side wired as <c>SipServer</c> wires it (listener, dispatcher, transactions, registrar's bindings,
/// call controller, relay), serving in-memory TLS connections with real certificates. Only time is fake; media goes
/// over loopback UDP with real SRTP.
/// </summary>
internal sealed class CallHarness : IAsyncDisposable
{
    private readonly TestPki _pki = new();
    private readonly List<DirectoryDevice> _devices = [];
    private HostedPbx.Data.Entities.DeviceVendor _anchorVendor = HostedPbx.Data.Entities.DeviceVendor.Other;
    private readonly List<DirectoryExtension> _extensions = [];
    private readonly Dictionary<Guid, (int, bool)> _tenants = [];
    private readonly List<TestPhone> _phones = [];
    private readonly Dictionary<TestPhone, (DirectoryDevice Device, IssuedCertificate Certificate)> _identities = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly TlsListener _listener;
    private DeviceDirectory _directory = DeviceDirectory.Empty;
    private readonly PeerConnector? _connector;
    private int _nextPort = 41000;

    // mailboxes: voicemail for the calls, made from this harness (its prompts, directory and time); none by default.
    // recorder: the calls' recording policies and recorder, made from this harness (its time); none by default.
    public CallHarness(int mediaPortMin = 31000, int mediaPortMax = 31199, int maxPendingInvitesPerDevice = 10, Func<PstnDirectory>? pstn = null,
        Func<CallHarness, Mailboxes>? mailboxes = null, Func<CallHarness, HostedPbx.Switch.Calls.Recording.CallRecorder>? recorder = null,
        PeerTrust? carrierTrust = null, KeyProtector? keys = null, HostedPbx.Switch.Tests.Nodes.NodeSide? node = null,
        HostedPbx.Switch.Sip.Transport.Resolution.SipServerLocator? locator = null, int? keepaliveMisses = null,
        Func<IReadOnlyList<HostedPbx.Switch.Nodes.ExternalCall>>? otherNodesCalls = null)
    {
        Scheduler = new SipTimerScheduler(Time);
        Audit = new SwitchAudit(Time);
        Records = new CallRecordStore(null, "test", Time, NullLogger.Instance);
        var ports = new PortPool(IPAddress.Loopback, mediaPortMin, mediaPortMax);
        Relay = new MediaRelay(ports, Time);
        Prompts = new PromptLibrary(Path.Combine(Path.GetTempPath(), $"hostedpbx-prompts-{Guid.NewGuid():N}"), NullLogger.Instance, mailboxes is null ? null : MailboxPrompts.Texts);
        Mailboxes = mailboxes?.Invoke(this);
        Calls = new CallController(
            Transactions, Scheduler, Timers, Connections, Bindings, Relay, ports, Prompts, Records, Audit, Time,
            new CallLimits("127.0.0.1:5061", TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), maxPendingInvitesPerDevice),
            NullLogger.Instance,
            pstn is null ? null : new PstnGate(pstn, new PstnSuspensionStore(null, NullLogger.Instance), Audit, Time, NullLogger.Instance) { OtherNodes = otherNodesCalls }, Mailboxes,
            // Trunk legs (issue 11) when the test plays a carrier: they reach it through a peer connector made below.
            carrierTrust is null || pstn is null ? null : Trunks = new TrunkServices(pstn, () => _connector!, new TrunkChannels(), keys, Audit, NullLogger.Instance)
            {
                // Issue 11: the OPTIONS keep-alive on this harness's fake time, its state changes kept for the test.
                Keepalive = keepaliveMisses is not { } misses ? null : Keepalive = new HostedPbx.Switch.Calls.Trunks.Keepalive.TrunkKeepalive(
                    pstn, () => _connector!, new HostedPbx.Switch.Calls.Trunks.Keepalive.KeepaliveSignalling(Transactions, Scheduler, Timers, "127.0.0.1:5061"),
                    TimeSpan.FromSeconds(30), misses, (change, _) => { TrunkStates.Enqueue(change); return Task.CompletedTask; }, Time, NullLogger.Instance),
            })
        {
            Recorder = recorder?.Invoke(this),
            // Issue 14: as a switch node, callees on the other nodes are reached through the node's link (routes set by the test).
            NodeRoutes = node is null ? null : new HostedPbx.Switch.Calls.Nodes.NodeRoutes(
                node.Name, _ => Task.FromResult<IReadOnlyDictionary<(Guid TenantId, string Number), string>>(new Dictionary<(Guid, string), string>()), node.Live,
                (target, ct) => node.Link(_connector!, target, ct), TimeSpan.FromSeconds(5), Time, NullLogger.Instance),
        };
        var registrar = new HostedPbx.Switch.Sip.Registrar.Registrar(Bindings, new RegistrationStore(null!, "test", NullLogger.Instance), Audit, Time, new RegistrarLimits(60, 3600), NullLogger.Instance);
        Subscriptions = Mailboxes is null ? null
            : new MailboxSubscriptions(Mailboxes.Store, Transactions, Scheduler, Timers, Connections, "127.0.0.1:5061", Audit, Time, NullLogger.Instance);
        var dispatcher = new SipDispatcher(Transactions, Scheduler, Timers, registrar, Calls, () => _directory, Subscriptions,
            peers: new Dictionary<PeerKind, ISipConnectionHandler> { [PeerKind.Trunk] = new TrunkRequests(Transactions, Scheduler, Timers, Calls, () => _directory, Trunks),
                [PeerKind.Node] = new HostedPbx.Switch.Calls.Nodes.NodeRequests(Transactions, Scheduler, Timers, Calls, () => _directory),
            });
        // As the switch wires it: identity is checked again on every message before the dispatcher sees it.
        var gate = new IdentityGate(dispatcher, Connections, () => _directory, Audit, NullLogger.Instance, (c, device) => registrar.OnLinesChanged(c.Id, device.Extensions),
            () => pstn?.Invoke().Peers ?? PeerDirectory.Empty);
        var peers = carrierTrust is null && node is null ? null : new PeerAuthenticator(carrierTrust ?? new PeerTrust([_pki.Root.Certificate]), Time, node?.Recognizer);
        var own = node?.Own ?? _pki.ServerContext;
        _connector = peers is null ? null
            : new PeerConnector(own, peers, Connections, gate, TimeProvider.System, TransportHarness.Limits, NullLogger.Instance, _stop.Token)
            {
                // Issue 11: carriers' names through the test's own name server (dnsmasq) when it gives one.
                Locator = locator ?? HostedPbx.Switch.Sip.Transport.Resolution.SipServerLocator.Create(null),
            };
        _listener = new TlsListener(
            own, () => _directory, new DeviceAuthenticator(Time), Connections, gate, Audit, Time,
            // A flood test sends 300 INVITEs and is answered ~600 times at once; on a loaded machine the phone reads slower
            // than the switch writes, and the default write queue (256) would drop the connection the test is reading.
            // The partial-message deadline is armed before a message is dispatched and lifted after: a test that advances
            // fake time by a call's timeout while the reader is still dispatching would otherwise close the phone's
            // connection as a slowloris (tests/Switch.Tests/Transport tests that deadline with its own harness).
            new SipConnectionLimits(TimeSpan.FromHours(1), TimeSpan.FromSeconds(10), TimeSpan.FromHours(1), MaxConnectionsPerDevice: 10, MaxHandshakesPerAddress: 64, MaxQueuedWrites: 2048),
            NullLogger.Instance, peers, () => pstn?.Invoke().Peers ?? PeerDirectory.Empty);
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public SipTimerScheduler Scheduler { get; }

    public SipTimers Timers { get; } = new();

    public TransactionTable Transactions { get; } = new();

    public ConnectionTable Connections { get; } = new();

    public BindingTable Bindings { get; } = new();

    public SwitchAudit Audit { get; }

    public CallRecordStore Records { get; }

    public MediaRelay Relay { get; }

    public CallController Calls { get; }

    /// <summary>The trunk keep-alive (every 30 s of fake time), when the harness was made with <c>keepaliveMisses</c>.</summary>
    public HostedPbx.Switch.Calls.Trunks.Keepalive.TrunkKeepalive? Keepalive { get; }

    /// <summary>The trunk state changes the keep-alive stored, in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<HostedPbx.Switch.Calls.Trunks.Keepalive.TrunkStateChange> TrunkStates { get; } = new();

    /// <summary>What trunk legs share, when the harness was made with a carrier's trust.</summary>
    public TrunkServices? Trunks { get; }

    /// <summary>The platform's test CAs: the switch's own certificate chains to <c>Pki.Root</c>.</summary>
    public TestPki Pki => _pki;

    /// <summary>Prompts in a folder of this harness's own, spoken by espeak-ng when first ensured.</summary>
    public PromptLibrary Prompts { get; }

    public Mailboxes? Mailboxes { get; }

    /// <summary>Message waiting (RFC 3842), when the harness has voicemail.</summary>
    public MailboxSubscriptions? Subscriptions { get; }

    /// <summary>Serves one in-memory connection as the switch's listener does (another node's, in the node tests).</summary>
    public Task ServeAsync(Stream stream, IPEndPoint remote) => _listener.ServeAsync(stream, remote, _stop.Token);

    /// <summary>The directory the switch reads now.</summary>
    public DeviceDirectory Directory => _directory;

    /// <summary>A tenant with its call settings (Tenant.MaxConcurrentCalls, Tenant.AnnounceUnknownNumbers).</summary>
    public Guid AddTenant(int maxConcurrentCalls = 10, bool announceUnknownNumbers = false, Guid? id = null)
    {
        var tenant = id ?? Guid.CreateVersion7();
        _tenants[tenant] = (maxConcurrentCalls, announceUnknownNumbers);
        return tenant;
    }

    /// <summary>A device of <paramref name="tenant"/> with one line, <paramref name="extension"/>, connected and registered.</summary>
    public async Task<TestPhone> ConnectAsync(Guid tenant, string extension, CancellationToken cancellationToken)
    {
        var mac = $"00155d{Random.Shared.Next(0, 0xFFFFFF):x6}";
        var certificate = _pki.IssueDevice(mac);
        // A factory certificate is taken before enrolment only for a device its tenant claimed with the certificate's serial.
        var device = new DirectoryDevice(
            Guid.CreateVersion7(), tenant, mac, true, true, null, [extension], FactorySerial: FactorySerial.Normalize(certificate.SerialNumber));
        _devices.Add(device);
        if (!_extensions.Exists(e => e.TenantId == tenant && e.Number == extension))
        {
            _extensions.Add(new DirectoryExtension(Guid.CreateVersion7(), tenant, extension, extension, false, null, null));
        }

        Publish();

        var phone = await OpenAsync(device, certificate, extension, cancellationToken);
        var connection = Connections.All.Single(c => !c.IsPeer && c.Device.DeviceId == device.Id);
        var now = Time.GetUtcNow();
        Bindings.Upsert(new Binding(
            Guid.CreateVersion7(), tenant, Guid.CreateVersion7(), extension, device.Id, phone.ContactUri, connection.Id, "127.0.0.1", null, now, now.AddHours(1)));
        return phone;
    }

    /// <summary>An extension of <paramref name="tenant"/> with no handset registered for it.</summary>
    public void AddExtension(Guid tenant, string extension)
    {
        _extensions.Add(new DirectoryExtension(Guid.CreateVersion7(), tenant, extension, extension, false, null, null));
        Publish();
    }

    /// <summary>An extension's call forwarding, as the directory loads it from the extension's settings.</summary>
    public void SetForwarding(Guid tenant, string extension, string? always = null, string? busy = null, string? noAnswer = null, int noAnswerSeconds = 20)
    {
        var index = _extensions.FindIndex(e => e.TenantId == tenant && e.Number == extension);
        _extensions[index] = _extensions[index] with
        {
            ForwardAlways = always, ForwardBusy = busy, ForwardNoAnswer = noAnswer, ForwardNoAnswerSeconds = noAnswerSeconds,
        };
        Publish();
    }

    /// <summary>An extension as the directory loads it (with the id of its row), before or without any handset.</summary>
    public void AddExtension(Guid tenant, string number, Guid id, bool voicemail, string? displayName = null)
    {
        _extensions.Add(new DirectoryExtension(id, tenant, number, displayName ?? $"Ext {number}", false, null, null, VoicemailEnabled: voicemail));
        Publish();
    }

    /// <summary>
    /// A carrier's SBC connecting to the switch with <paramref name="certificate"/> as its client certificate (issue 11,
    /// inbound), as the phone <paramref name="number"/> calls from; and the listener's work on that connection, which ends
    /// when the switch closes it (a certificate it does not admit).
    /// </summary>
    public async Task<(TestPhone Carrier, Task Served)> ConnectCarrierAsync(IssuedCertificate certificate, string number, CancellationToken cancellationToken)
    {
        var (client, server) = DuplexPipeStream.CreatePair();
        var remote = new IPEndPoint(IPAddress.Loopback, Interlocked.Increment(ref _nextPort));
        var served = Task.Run(() => _listener.ServeAsync(server, remote, _stop.Token), cancellationToken);
        var ssl = new SslStream(client);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateContext = SslStreamCertificateContext.Create(certificate.Certificate, [.. certificate.Issuers], offline: true),
            RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null,
        }, cancellationToken);
        var carrier = new TestPhone(ssl, number, remote.Port);
        _phones.Add(carrier);
        return (carrier, served);
    }

    /// <summary>The same device (same certificate) over a second connection, as after a NAT rebinding.</summary>
    public Task<TestPhone> ReconnectAsync(TestPhone phone, CancellationToken cancellationToken)
    {
        var (device, certificate) = _identities[phone];
        return OpenAsync(device, certificate, phone.Extension, cancellationToken);
    }

    /// <summary>
    /// The device row of the handset serving <paramref name="extension"/> names <paramref name="vendor"/>, and the test
    /// anchors that issued its factory certificate speak for that vendor (a vendor anchor vouches for its own devices only).
    /// </summary>
    public void SetVendor(Guid tenant, string extension, HostedPbx.Data.Entities.DeviceVendor vendor)
    {
        var index = _devices.FindIndex(d => d.TenantId == tenant && d.Extensions.Contains(extension));
        _devices[index] = _devices[index] with { Vendor = vendor };
        _anchorVendor = vendor;
        Publish();
    }

    private void Publish() =>
        _directory = new DeviceDirectory(
            [new DirectoryAnchor("Test Root", _pki.Root.Certificate, MacLocation.SanUri, true, _anchorVendor), new DirectoryAnchor("Test Device CA", _pki.DeviceCa.Certificate, MacLocation.SanUri, true, _anchorVendor)],
            RevokedSerials.None, _devices, _extensions, null, _tenants);

    private async Task<TestPhone> OpenAsync(DirectoryDevice device, IssuedCertificate certificate, string extension, CancellationToken cancellationToken)
    {
        var (client, server) = DuplexPipeStream.CreatePair();
        var remote = new IPEndPoint(IPAddress.Loopback, Interlocked.Increment(ref _nextPort));
        _ = Task.Run(() => _listener.ServeAsync(server, remote, _stop.Token), cancellationToken);
        var ssl = new SslStream(client);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateContext = SslStreamCertificateContext.Create(certificate.Certificate, [.. certificate.Issuers], offline: true),
            RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null,
        }, cancellationToken);

        var phone = new TestPhone(ssl, extension, remote.Port);
        _phones.Add(phone);

        // The phone's first request proves the server side has registered its connection.
        await phone.PingAsync(cancellationToken);
        _identities[phone] = (device, certificate);
        return phone;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var phone in _phones)
        {
            await phone.DisposeAsync();
        }

        Scheduler.Dispose();
        _stop.Dispose();
        if (System.IO.Directory.Exists(Prompts.Directory))
        {
            System.IO.Directory.Delete(Prompts.Directory, recursive: true);
        }

        _pki.Dispose();
    }
}
