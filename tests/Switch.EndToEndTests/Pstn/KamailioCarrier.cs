using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using HostedPbx.Data.Certificates;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;

namespace HostedPbx.Switch.EndToEndTests.Pstn;

/// <summary>
/// A telephone carrier's SBC: Debian's Kamailio (kamailio, kamailio-tls-modules; shared/peers/README.md §6) in the
/// foreground on two free loopback TLS ports, with a certificate for <see cref="CertificateName"/> from a carrier CA of
/// its own. The trunk port requires a client certificate from the platform's CA (the switch's); the phone port requires
/// one from the carrier's CA (the PSTN phone's). It routes INVITEs to whoever registered the dialled number; started with
/// the switch's port, it delivers its phones' calls to numbers it has no phone for to the switch, over TLS with its own
/// certificate as the client's, verifying the switch's against the platform's CA.
/// </summary>
internal sealed class KamailioCarrier : IAsyncDisposable
{
    /// <summary>The name the carrier's certificate carries, and the one the trunk expects (RFC 5922 §7.3).</summary>
    public const string CertificateName = "sbc.carrier.test";

    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly IssuedCertificate _certificate;
    private readonly CertificateIssuer _issuer;
    private IssuedCertificate? _phone;

    private KamailioCarrier(
        Process process, string directory, CertificateIssuer issuer, CertificateAuthority ca, IssuedCertificate certificate, int trunkPort, int phonePort)
    {
        _process = process;
        _issuer = issuer;
        Directory = directory;
        Ca = ca;
        _certificate = certificate;
        TrunkPort = trunkPort;
        PhonePort = phonePort;
    }

    public string Directory { get; }

    /// <summary>The carrier's own CA: the switch trusts it (Switch:CarrierTrustAnchorPath); the PSTN phone's certificate is from it.</summary>
    public CertificateAuthority Ca { get; }

    /// <summary>The carrier CA's certificate as a PEM file, for Switch:CarrierTrustAnchorPath.</summary>
    public string CaFile => Path.Combine(Directory, "carrier-ca.crt");

    /// <summary>Where the switch's trunk connects (mutual TLS, the platform's CA).</summary>
    public int TrunkPort { get; }

    /// <summary>Where the PSTN phone registers (mutual TLS, the carrier's CA).</summary>
    public int PhonePort { get; }

    public string Log { get { lock (_log) { return _log.ToString(); } } }

    /// <summary>
    /// Writes the carrier's CA before the switch starts (the switch reads its trust anchors once, at start), so the
    /// carrier itself is started later with <see cref="StartAsync(string, CertificateIssuer, CertificateAuthority, string, CancellationToken)"/>.
    /// </summary>
    public static (CertificateAuthority Ca, string CaFile) CreateCa(CertificateIssuer issuer, string root)
    {
        var directory = Path.Combine(root, "carrier");
        System.IO.Directory.CreateDirectory(directory);
        var ca = issuer.CreateRoot();
        var file = Path.Combine(directory, "carrier-ca.crt");
        File.WriteAllText(file, ca.Certificate.ExportCertificatePem() + "\n");
        return (ca, file);
    }

    /// <summary>Starts Kamailio with its runtime directory under <paramref name="root"/>; it trusts <paramref name="platformCaPem"/> for trunks.</summary>
    public static Task<KamailioCarrier> StartAsync(
        string root, CertificateIssuer issuer, CertificateAuthority ca, string platformCaPem, CancellationToken cancellationToken) =>
        StartAsync(root, issuer, ca, platformCaPem, null, CertificateName, cancellationToken);

    /// <summary>
    /// As <see cref="StartAsync(string, CertificateIssuer, CertificateAuthority, string, CancellationToken)"/>, and its phones'
    /// calls to numbers no phone of its own registered go to the switch on <paramref name="switchPort"/> (issue 11, inbound),
    /// the carrier presenting a certificate from <paramref name="ca"/> for <paramref name="certificateName"/> (and 127.0.0.1).
    /// </summary>
    public static async Task<KamailioCarrier> StartAsync(
        string root, CertificateIssuer issuer, CertificateAuthority ca, string platformCaPem, int? switchPort, string certificateName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(ca);
        var directory = Path.Combine(root, "carrier");
        var run = Path.Combine(directory, "run");
        System.IO.Directory.CreateDirectory(run);
        var certificate = issuer.IssueServer(ca, [certificateName, "127.0.0.1"], alsoClientAuth: true);
        await File.WriteAllTextAsync(Path.Combine(directory, "carrier.crt"), certificate.CertificatePem() + "\n" + certificate.ChainPem(), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, "carrier.key"), certificate.PrivateKeyPem(), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, "platform-ca.crt"), platformCaPem + "\n", cancellationToken);
        // The PSTN phone's certificate is checked against the carrier's own CA, wherever CreateCa put it.
        await File.WriteAllTextAsync(Path.Combine(directory, "carrier-ca.crt"), ca.Certificate.ExportCertificatePem() + "\n", cancellationToken);
        var (trunkPort, phonePort) = (PartProcess.FreePort(), PartProcess.FreePort());
        await File.WriteAllTextAsync(Path.Combine(directory, "tls.cfg"), TlsConfig(directory, phonePort, toSwitch: switchPort is not null), cancellationToken);
        var config = Path.Combine(directory, "kamailio.cfg");
        await File.WriteAllTextAsync(config, Config(Path.Combine(directory, "tls.cfg"), trunkPort, phonePort, ToSwitch(switchPort, phonePort)), cancellationToken);

        var info = new ProcessStartInfo(Tool.Require("kamailio"))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory,
        };
        // -DD -E: in the foreground, logging to stderr; -Y and -P keep its runtime files in the test's directory.
        foreach (var arg in new[] { "-f", config, "-DD", "-E", "-m", "64", "-M", "8", "-n", "2", "-Y", run, "-P", Path.Combine(run, "kamailio.pid") })
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info };
        var carrier = new KamailioCarrier(process, directory, issuer, ca, certificate, trunkPort, phonePort);
        process.OutputDataReceived += (_, e) => { lock (carrier._log) { carrier._log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (carrier._log) { carrier._log.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Eventually.GetAsync(async () =>
                process.HasExited ? throw new InvalidOperationException("kamailio exited:\n" + carrier.Log)
                : await AnswersAsync(trunkPort) && await AnswersAsync(phonePort) ? (object?)true : null,
                TimeSpan.FromSeconds(30), () => "kamailio to listen\n" + carrier.Log);
        }
        catch
        {
            await carrier.DisposeAsync();
            throw;
        }

        return carrier;
    }

    /// <summary>
    /// The "PSTN phone" behind the carrier: baresip registered to the phone port as <paramref name="number"/>, SRTP
    /// (SDES) mandatory, answering at once (unless <paramref name="answerMode"/> is "manual"), speaking <paramref name="audioSource"/> and recording what it hears.
    /// </summary>
    public BaresipPeer StartPhone(string root, string number, string audioSource, int seconds, string answerMode = "auto")
    {
        _phone = _issuer.IssueServer(Ca, ["pstn-phone.carrier.test"], alsoClientAuth: true);
        return BaresipPeer.Start(root, "pstn-phone", number, PhonePort, _phone.CombinedPem(), Ca.Certificate.ExportCertificatePem(), audioSource, seconds, answerMode);
    }

    private static async Task<bool> AnswersAsync(int port)
    {
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// The carrier's TLS profiles. Its client profile is used only towards the switch (issue 11, inbound): then it
    /// presents the carrier's certificate (the switch requires one) and verifies the switch's against the platform's CA,
    /// as a carrier checks its customer's SBC. The default profile is the one that verifies: with a separate
    /// <c>[client:127.0.0.1:port]</c> profile for the switch's address, Kamailio 5.6 still showed the switch's requests on
    /// that connection as <c>$tls_peer_verified</c> 0 (the default profile's, which verifies nothing) and refused them.
    /// </summary>
    private static string TlsConfig(string directory, int phonePort, bool toSwitch) => $"""
        [server:default]
        method = TLSv1.2+
        verify_certificate = yes
        require_certificate = yes
        private_key = {directory}/carrier.key
        certificate = {directory}/carrier.crt
        ca_list = {directory}/platform-ca.crt

        [server:127.0.0.1:{phonePort}]
        method = TLSv1.2+
        verify_certificate = yes
        require_certificate = yes
        private_key = {directory}/carrier.key
        certificate = {directory}/carrier.crt
        ca_list = {directory}/carrier-ca.crt

        [client:default]
        method = TLSv1.2+
        verify_certificate = {(toSwitch ? "yes" : "no")}
        require_certificate = {(toSwitch ? "yes" : "no")}
        private_key = {directory}/carrier.key
        certificate = {directory}/carrier.crt
        ca_list = {directory}/{(toSwitch ? "platform-ca.crt" : "carrier-ca.crt")}

        """;

    /// <summary>
    /// Issue 11, inbound: a call from a phone of the carrier (on the phone port) to a number none of its phones has is for
    /// the switch, the number as the Request-URI's user at the switch's address; a call in on the trunk port never goes back.
    /// The route's answers and failures are logged as <c>CARRIER reply</c> and <c>CARRIER switch failed</c>.
    /// </summary>
    private static string ToSwitch(int? switchPort, int phonePort) => switchPort is not { } port ? "" : $$"""
        if ($Rp == {{phonePort}}) {
                    $ru = "sip:" + $rU + "@127.0.0.1:{{port}};transport=tls";
                    xlog("L_NOTICE", "CARRIER to switch $ru from $fu\n");
                    t_on_reply("R_REPLY");
                    t_on_failure("F_SWITCH");
                    if (!t_relay()) { xlog("L_NOTICE", "CARRIER switch failed to relay\n"); sl_reply_error(); }
                    exit;
                }

        """;

    /// <summary>
    /// shared/peers/kamailio/kamailio.cfg on the test's ports: a TLS-only registrar and proxy that logs each peer's
    /// certificate; <paramref name="toSwitch"/> decides a call to a number no phone registered, before its 404.
    /// </summary>
    private static string Config(string tlsConfig, int trunkPort, int phonePort, string toSwitch) => $$"""
        #!KAMAILIO
        debug=2
        log_stderror=yes
        children=2
        auto_aliases=no
        dns=no
        rev_dns=no
        use_dns_cache=off
        dns_try_ipv6=no
        disable_tcp=no
        enable_tls=yes
        tcp_accept_no_cl=yes
        listen=tls:127.0.0.1:{{trunkPort}}
        listen=tls:127.0.0.1:{{phonePort}}
        alias="127.0.0.1:{{trunkPort}}"
        alias="127.0.0.1:{{phonePort}}"
        alias="{{CertificateName}}:{{trunkPort}}"

        loadpath "/usr/lib/x86_64-linux-gnu/kamailio/modules/"
        loadmodule "tls.so"
        loadmodule "kex.so"
        loadmodule "corex.so"
        loadmodule "tm.so"
        loadmodule "tmx.so"
        loadmodule "sl.so"
        loadmodule "rr.so"
        loadmodule "pv.so"
        loadmodule "maxfwd.so"
        loadmodule "usrloc.so"
        loadmodule "registrar.so"
        loadmodule "textops.so"
        loadmodule "siputils.so"
        loadmodule "xlog.so"
        loadmodule "sanity.so"
        loadmodule "nathelper.so"

        modparam("tls", "config", "{{tlsConfig}}")
        modparam("usrloc", "db_mode", 0)
        modparam("registrar", "max_expires", 3600)
        modparam("rr", "enable_full_lr", 1)
        modparam("nathelper", "received_avp", "$avp(RECEIVED)")
        modparam("registrar", "received_avp", "$avp(RECEIVED)")

        request_route {
            if (!mf_process_maxfwd_header("10")) { sl_send_reply("483","Too Many Hops"); exit; }
            if (!sanity_check("1511", "7")) { exit; }
            if ($pr != "tls") { sl_send_reply("403", "TLS only"); exit; }
            xlog("L_NOTICE", "CARRIER $rm $ru from $fu via $pr $si:$sp to port $Rp cert CN=[$tls_peer_subject_cn] verified=[$tls_peer_verified]\n");
            if ($tls_peer_verified != 1) { sl_send_reply("403", "Client certificate not verified"); exit; }
            if (is_method("INVITE") && !has_totag()) { xlog("L_NOTICE", "CARRIER SDP $rb\n"); }

            if (is_method("CANCEL")) { if (t_check_trans()) { t_relay(); } exit; }
            if (!is_method("ACK")) { if (t_precheck_trans()) { t_check_trans(); exit; } t_check_trans(); }

            if (has_totag()) {
                if (loose_route()) {
                    if (!isdsturiset()) { handle_ruri_alias(); }
                    t_relay(); exit;
                }
                if (is_method("ACK")) { if (t_check_trans()) { t_relay(); } exit; }
                sl_send_reply("404", "Not here"); exit;
            }
            if (is_method("REGISTER")) {
                add_contact_alias();
                if (!save("location")) { sl_reply_error(); }
                exit;
            }
            if (is_method("INVITE|SUBSCRIBE")) { record_route(); }
            if (is_method("INVITE")) { add_contact_alias(); }
            if ($rU == $null) { sl_send_reply("484", "Address Incomplete"); exit; }
            if (!lookup("location")) {
                {{toSwitch}}sl_send_reply("404", "Not Found"); exit;
            }
            handle_ruri_alias();
            t_on_reply("R_REPLY");
            if (!t_relay()) { sl_reply_error(); }
            exit;
        }
        onreply_route[R_REPLY] {
            xlog("L_NOTICE", "CARRIER reply $rs $rr to $rm\n");
            if (is_method("INVITE") && status =~ "2[0-9][0-9]") { add_contact_alias(); xlog("L_NOTICE", "CARRIER SDP $rb\n"); }
        }
        failure_route[F_SWITCH] {
            xlog("L_NOTICE", "CARRIER switch failed $T_reply_code $T_reply_reason\n");
        }

        """;

    public async ValueTask DisposeAsync()
    {
        await Tool.StopAsync(_process);
        // Kept beside its configuration, for reading after a failed run.
        await File.WriteAllTextAsync(Path.Combine(Directory, "kamailio.log"), Log);
        _certificate.Dispose();
        _phone?.Dispose();
        Ca.Dispose();
    }
}
