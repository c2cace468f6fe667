using System.Globalization;

namespace HostedPbx.Switch.EndToEndTests.Support;

/// <summary>
/// A real linphonec handset (linphone-cli, shared/peers/README.md §4) inside a <see cref="NetworkNamespace"/>: SIP over
/// TLS with a device certificate, verifying the switch's certificate, SRTP (SDES) mandatory, audio from and to files.
/// Driven through its standard input, so no linphonecsh daemon socket is shared with anyone else.
/// </summary>
internal sealed class LinphonePeer : IAsyncDisposable
{
    private readonly NamespacedProcess _process;

    private LinphonePeer(NamespacedProcess process, string directory)
    {
        _process = process;
        Directory = directory;
    }

    public string Directory { get; }

    public string RecordingPath => Path.Combine(Directory, "received.wav");

    public string SecondRecordingPath => Path.Combine(Directory, "received-2.wav");

    public string Log => _process.Log + (File.Exists(LogFile) ? File.ReadAllText(LogFile) : "");

    private string LogFile => Path.Combine(Directory, "linphone.log");

    /// <summary>Starts it registering as <paramref name="user"/>, offering <paramref name="suites"/> in that order (srtp_crypto_suites), answering calls itself with <paramref name="autoAnswer"/>; a second linphonec in the same namespace takes other <paramref name="rtpPorts"/>.</summary>
    public static async Task<LinphonePeer> StartAsync(
        NetworkNamespace network, string root, string name, string user, int switchPort, string certificateChainPem, string keyPem, string caPem,
        string suites, bool autoAnswer = false, string rtpPorts = "20200-20249")
    {
        var directory = Path.Combine(root, name);
        var home = Path.Combine(directory, "home");
        // Without it linphone logs a harmless error about its database.
        System.IO.Directory.CreateDirectory(Path.Combine(home, ".local", "share", "linphone"));
        var chain = Path.Combine(directory, "device.crt");
        var key = Path.Combine(directory, "device.key");
        var ca = Path.Combine(directory, "ca.crt");
        await File.WriteAllTextAsync(chain, certificateChainPem);
        await File.WriteAllTextAsync(key, keyPem);
        await File.WriteAllTextAsync(ca, caPem);
        var rc = Path.Combine(directory, "linphonerc");
        await File.WriteAllTextAsync(rc, string.Join('\n',
            "[sip]",
            "sip_port=-1",
            "sip_tcp_port=-1",
            "sip_tls_port=-1",
            "default_proxy=0",
            "use_ipv6=0",
            "verify_server_certs=1",
            "verify_server_cn=1",
            $"root_ca={ca}",
            $"client_cert_chain={chain}",
            $"client_cert_key={key}",
            "media_encryption=srtp",
            "media_encryption_mandatory=1",
            $"srtp_crypto_suites={suites}",
            "guess_hostname=1",
            "ping_with_options=0",
            "auto_net_state_mon=0",
            "register_only_when_network_is_up=0",
            "[net]",
            "firewall_policy=0",
            "stun_server=",
            "nat_policy_ref=",
            "[rtp]",
            $"audio_rtp_port={rtpPorts}",
            "[sound]",
            "echocancellation=0",
            "[video]",
            "enabled=0",
            "capture=0",
            "display=0",
            "automatically_initiate=0",
            "automatically_accept=0",
            "[proxy_0]",
            $"reg_proxy=<sip:127.0.0.1:{switchPort.ToString(CultureInfo.InvariantCulture)};transport=tls>",
            $"reg_identity=sip:{user}@127.0.0.1",
            "reg_expires=600",
            "reg_sendregister=1",
            "publish=0",
            "dial_escape_plus=0",
            "quality_reporting_enabled=0",
            "[misc]",
            "version_check_url_root=",
            "log_collection_upload_server_url=",
            "file_transfer_server_url=",
            $"uuid=00000000-0000-0000-0000-0000000{user}",
            ""));
        var process = NamespacedProcess.Start(
            network, "linphonec", ["-c", rc, "-d", "4", "-l", Path.Combine(directory, "linphone.log"), .. autoAnswer ? new[] { "-a" } : []],
            new Dictionary<string, string?> { ["HOME"] = home }, redirectInput: true);
        return new LinphonePeer(process, directory);
    }

    public Task SendAsync(string command) => _process.SendLineAsync(command);

    public Task WaitForAsync(string text, TimeSpan limit, string what) => _process.WaitForAsync(text, limit, what);

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
    }
}
