using HostedPbx.Data.Certificates;
using HostedPbx.Data.Devices;
using HostedPbx.Data.Entities;
using HostedPbx.Testing;
using Microsoft.Extensions.Options;

namespace HostedPbx.Switch.EndToEndTests.Support;

/// <summary>
/// The real switch process with a server certificate from a test CA, and a tenant with extensions 201-203 and one
/// enrolled handset per extension in the database.
/// </summary>
internal sealed class SwitchUnderTest : IAsyncDisposable
{
    private readonly Dictionary<string, IssuedCertificate> _devices = [];
    private PartProcess? _process;
    private NamespacedProcess? _namespaced;
    private Dictionary<string, string?>? _environment;
    private Uri? _health;

    private SwitchUnderTest(string workDirectory)
    {
        WorkDirectory = workDirectory;
        Issuer = new CertificateIssuer(Options.Create(new CertificateAuthorityOptions()), TimeProvider.System);
        Root = Issuer.CreateRoot();
        DeviceCa = Issuer.CreateIntermediate(Root);
    }

    public string WorkDirectory { get; }

    /// <summary>The master key the switch wraps voicemail's data keys with (base64 in a file, as ./pbx run gives it).</summary>
    public string MasterKeyFile => Path.Combine(WorkDirectory, "master.key");

    /// <summary>The switch's voicemail root.</summary>
    public string VoicemailDirectory => Path.Combine(WorkDirectory, "voicemail");

    /// <summary>The switch's environment, kept so a test can start it again (after killing it) as it was.</summary>
    public Dictionary<string, string?> Environment { get; } = [];

    public CertificateIssuer Issuer { get; }

    public CertificateAuthority Root { get; }

    public CertificateAuthority DeviceCa { get; }

    public int SipPort { get; private set; }

    /// <summary>Switch:NodeName, unique per switch started.</summary>
    public string NodeName => $"e2e-{SipPort}";

    /// <summary>The loopback HTTP port of /health and /metrics (settings may name their own).</summary>
    public int AdminPort { get; private set; }

    /// <summary>The switch's own UDP media ports, inclusive.</summary>
    public (int Min, int Max) MediaPorts { get; private set; }

    public Tenant? Tenant { get; private set; }

    public string Output => _namespaced?.Log ?? (_process is null ? "" : _process.Output + _process.Error);

    public IssuedCertificate DeviceCertificate(string extension) => _devices[extension];

    public static string MacOf(string extension) => $"0015651a2{extension}";

    public static Task<SwitchUnderTest> StartAsync(PostgresFixture database, CancellationToken cancellationToken) =>
        StartAsync(database, null, null, cancellationToken);

    /// <summary>With extra settings (environment variables) and, optionally, inside a network namespace.</summary>
    public static async Task<SwitchUnderTest> StartAsync(
        PostgresFixture database, IReadOnlyDictionary<string, string?>? settings, NetworkNamespace? network, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("hostedpbx-e2e-").FullName;
        var sut = new SwitchUnderTest(work);
        await sut.SeedAsync(database);
        using var server = sut.Issuer.IssueServer(sut.Root, ["127.0.0.1"], alsoClientAuth: true);
        var certificatePath = Path.Combine(work, "switch.crt");
        var keyPath = Path.Combine(work, "switch.key");
        await File.WriteAllTextAsync(certificatePath, server.CertificatePem() + "\n" + server.ChainPem(), cancellationToken);
        await File.WriteAllTextAsync(keyPath, server.PrivateKeyPem(), cancellationToken);
        sut.SipPort = PartProcess.FreePort();
        sut.AdminPort = PartProcess.FreePort();
        // Media ports where nothing else on loopback sends: not the kernel's ephemeral range (32768-60999, which other
        // test projects' sockets running meanwhile take), not the demo's switch (30000-30999) or handsets (40000 up),
        // not baresip's RTP (20000-32000), and below the demo handsets' SIP (16000 up). A clean run once counted a
        // stranger's three packets to an ephemeral port in this switch's old range as a third RTP stream of the call.
        var mediaBase = 10000 + (Random.Shared.Next(0, 30) * 200);
        sut.MediaPorts = (mediaBase, mediaBase + 199);
        await File.WriteAllTextAsync(sut.MasterKeyFile, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), cancellationToken);
        var environment = new Dictionary<string, string?>
        {
            ["Database__ConnectionString"] = network is null ? database.SwitchConnectionString : await OverUnixSocketAsync(database, cancellationToken),
            ["Kestrel__Endpoints__Admin__Url"] = $"http://127.0.0.1:{sut.AdminPort}",
            // A name per switch: a killed switch's name stays held (by a fresh heartbeat) for Switch:NodeDeadAfterSeconds.
            ["Switch__NodeName"] = sut.NodeName,
            ["Switch__SipListen"] = $"127.0.0.1:{sut.SipPort}",
            ["Switch__CertificatePath"] = certificatePath,
            ["Switch__PrivateKeyPath"] = keyPath,
            ["Switch__MediaPortMin"] = mediaBase.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Switch__MediaPortMax"] = (mediaBase + 199).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Switch__DirectoryRefreshSeconds"] = "1",
            ["Logging__LogLevel__Default"] = "Information",
            ["Keys__MasterKeyFile"] = sut.MasterKeyFile,
            ["Voicemail__Directory"] = sut.VoicemailDirectory,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        if (network is not null)
        {
            // Inside the namespace the admin port cannot be reached from here: the listening line says it is up.
            var dll = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "Switch", "debug", "HostedPbx.Switch.dll"));
            environment["DOTNET_ENVIRONMENT"] = "Production";
            sut._namespaced = NamespacedProcess.Start(network, "dotnet", [dll], environment);
            await sut._namespaced.WaitForAsync("SIP over TLS listening", TimeSpan.FromSeconds(60), "the switch to listen in the namespace");
            return sut;
        }

        foreach (var (key, value) in environment)
        {
            sut.Environment[key] = value;
        }

        sut._process = PartProcess.Start("Switch", environment);
        (sut._environment, sut._health) = (environment, new Uri($"http://127.0.0.1:{sut.AdminPort}/health"));
        await sut._process.WaitHealthyAsync(sut._health);
        return sut;
    }

    /// <summary>Kills the switch at once (SIGKILL: nothing is flushed or closed), as a crash would.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
        {
            // Disposing a part that still runs kills it (SIGKILL, its whole process tree).
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>Stops the switch as a service manager does (SIGTERM) and returns its exit code once it has gone.</summary>
    public Task<int> StopGracefullyAsync() => _process!.StopAsync();

    /// <summary>Starts the switch again with the same settings, after <see cref="KillAsync"/>.</summary>
    public async Task RestartAsync()
    {
        await KillAsync();
        _process = PartProcess.Start("Switch", Environment);
        await _process.WaitHealthyAsync(new Uri($"{Environment["Kestrel__Endpoints__Admin__Url"]}/health"));
    }

    /// <summary>
    /// The switch's connection string through the server's Unix socket: a process in a network namespace has a
    /// loopback of its own, but shares the file system.
    /// </summary>
    private static async Task<string> OverUnixSocketAsync(PostgresFixture database, CancellationToken cancellationToken)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database.OwnerConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new Npgsql.NpgsqlCommand("SHOW unix_socket_directories", connection);
        var directory = ((string)(await command.ExecuteScalarAsync(cancellationToken))!).Split(',')[0].Trim();
        return new Npgsql.NpgsqlConnectionStringBuilder(database.SwitchConnectionString) { Host = directory }.ConnectionString;
    }

    private async Task SeedAsync(PostgresFixture database)
    {
        await using var db = database.CreateOwnerContext();
        var now = TimeProvider.System.GetUtcNow();
        var reseller = new Reseller { Name = "E2E Reseller", CreatedAt = now };
        Tenant = new Tenant { Name = "E2E", ResellerId = reseller.Id, CreatedAt = now, AllowedSrtpSuites = ["AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32"] };
        var rootAnchor = Anchor(Root, TrustAnchorKind.Vendor, "E2E Root");
        // Imported as vendor CAs: platform anchors carry their protected keys, which a test CA need not.
        var deviceAnchor = Anchor(DeviceCa, TrustAnchorKind.Vendor, "E2E Device CA");
        db.AddRange(reseller, Tenant, rootAnchor, deviceAnchor);
        foreach (var number in new[] { "201", "202", "203" })
        {
            // Voicemail is off unless a test turns it on: a call nobody takes then fails as the tests of calls expect.
            var extension = new Extension { TenantId = Tenant.Id, Number = number, DisplayName = $"Ext {number}", CreatedAt = now, VoicemailEnabled = false };
            var issued = Issuer.IssueDevice(DeviceCa, MacAddress.Parse(MacOf(number)));
            _devices[number] = issued;
            var device = new Device { TenantId = Tenant.Id, Mac = MacOf(number), Vendor = DeviceVendor.Other, Model = "baresip", CreatedAt = now };
            var certificate = new DeviceCertificate
            {
                TenantId = Tenant.Id, DeviceId = device.Id, IssuerId = deviceAnchor.Id, Serial = issued.SerialNumber,
                Fingerprint = issued.Fingerprint, Subject = issued.Certificate.Subject, Mac = device.Mac,
                NotBefore = issued.Certificate.NotBefore.ToUniversalTime(), NotAfter = issued.Certificate.NotAfter.ToUniversalTime(),
                CertificateDer = issued.Certificate.RawData, CreatedAt = now,
            };
            device.Lines.Add(new DeviceLine { TenantId = Tenant.Id, Position = 1, ExtensionId = extension.Id });
            db.AddRange(extension, device, certificate);
            await db.SaveChangesAsync();
            device.ActiveCertificateId = certificate.Id;
        }

        await db.SaveChangesAsync();
    }

    private static TrustAnchor Anchor(CertificateAuthority ca, TrustAnchorKind kind, string name)
    {
        var anchor = TrustAnchor.For(ca.Certificate, kind, name, TimeProvider.System.GetUtcNow());
        anchor.Vendor = DeviceVendor.Other;
        return anchor;
    }


    /// <summary>Kills the switch as a crash would (SIGKILL, nothing flushed or closed) and starts it again with the same settings.</summary>
    public async Task KillAndRestartAsync()
    {
        await _process!.DisposeAsync();
        _process = PartProcess.Start("Switch", _environment!);
        // A restart seals what the crash left open before it listens, on a machine shared with other test runs: it
        // gets three of PartProcess's health windows, and fails at once if the process exits.
        for (var window = 1; ; window++)
        {
            try
            {
                await _process.WaitHealthyAsync(_health!);
                return;
            }
            catch (TimeoutException) when (window < 3)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        if (_namespaced is not null)
        {
            await _namespaced.DisposeAsync();
        }

        foreach (var device in _devices.Values)
        {
            device.Dispose();
        }

        DeviceCa.Dispose();
        Root.Dispose();
    }
}
