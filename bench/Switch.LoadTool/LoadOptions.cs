using System.Globalization;
using System.Net;
using HostedPbx.Data.Certificates;
using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.LoadTool;

/// <summary>The command line of the load tool.</summary>
internal sealed record LoadOptions
{
    public const string Usage = """
        HostedPbx.Switch.LoadTool --db <owner connection string> [options]
          --handsets N            handsets to seed and register (default 100)
          --calls M               concurrent calls between pairs of them (default 0; needs N >= 2M)
          --seconds S             media phase length (default 20)
          --warmup S              media before the measured window (default 5)
          --baseline S            idle baseline (CPU, allocations) before the calls (default: as long as --seconds,
                                  so one scrape of /metrics in each window cancels out)
          --recreate-database     drop, create and migrate the database of --db first (and give the
                                  platform's roles the owner's password, as ./pbx test-db's cluster needs)
          --switch-db <cs>        the switch's role (default: --db with Username=hostedpbx_switch)
          --switch-dll <path>     the switch to start (default: artifacts/bin/Switch/release/HostedPbx.Switch.dll)
          --switch-env K=V        an environment variable for the started switch (repeatable), e.g. a runtime knob
          --target <ip:port>      use a running switch instead (with --switch-pid; its DB must be --db)
          --switch-pid <pid>      the running switch's process id, for its CPU and memory
          --baresip               also call a baresip handset through the switch (interop smoke check)
          --work <dir>            where certificates and the baresip files go (default: a new temp directory)
          --connect-parallel K    TLS handshakes in flight while registering (default 8)
          --call-parallel K       INVITEs in flight while placing calls (default 16)
          --pacer-threads T       sender threads (default: processor count)
          --suite NAME            the SRTP suite on both legs (default AES_CM_128_HMAC_SHA1_80; e.g. AEAD_AES_128_GCM)
          --ca-key ALG            the key of the run's root and device CA (EcdsaP256, EcdsaP384, Rsa2048; default:
                                  what the platform's own CA gets)
          --receive-threads R     receiver threads, epoll + recvmmsg (default 1)
          --receive-gather-us U   a quiet receive round sleeps U µs (default 1000; jitter reads up to U late)
          --restart               last, restart the switch and time every handset's reconnection (a reconnect storm)
          --storm-parallel K      TLS handshakes in flight during that storm, each handset from its own loopback
                                  address (default 256)
          --hold S                after registering, keep the handsets and the switch up S seconds (for a heap dump
                                  or heaptrack of the switch; its pid is in the report)
        """;

    public required string Database { get; init; }
    public string? SwitchDatabase { get; init; }
    public int Handsets { get; init; } = 100;
    public int Calls { get; init; }
    public TimeSpan Media { get; init; } = TimeSpan.FromSeconds(20);
    public TimeSpan Baseline { get; init; } = TimeSpan.FromSeconds(20);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);
    public bool RecreateDatabase { get; init; }
    public string? SwitchDll { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> SwitchEnvironment { get; init; } = [];
    public IPEndPoint? Target { get; init; }
    public int? SwitchPid { get; init; }
    public bool Baresip { get; init; }
    public string? Work { get; init; }
    public int ConnectParallel { get; init; } = 8;
    public int CallParallel { get; init; } = 16;
    public int PacerThreads { get; init; } = Environment.ProcessorCount;

    /// <summary>Restart the switch after the other phases and time the handsets' reconnection.</summary>
    public bool Restart { get; init; }

    /// <summary>How long the registered handsets and the switch stay up after the registration figures.</summary>
    public TimeSpan Hold { get; init; }

    /// <summary>Handshakes in flight while the handsets reconnect after the restart.</summary>
    public int StormParallel { get; init; } = 256;

    /// <summary>Threads reading the endpoints' sockets (epoll + recvmmsg, the switch's engine parts).</summary>
    public int ReceiveThreads { get; init; } = 1;

    /// <summary>The one SRTP suite the seeded tenant allows and the handsets offer.</summary>
    public SrtpSuite Suite { get; init; } = SrtpSuite.AesCm128HmacSha1Tag80;

    /// <summary>The key algorithm of the run's root and device CA; null for the platform's default.</summary>
    public CertificateKeyAlgorithm? CaKey { get; init; }

    /// <summary>How long a quiet receive round sleeps so datagrams gather (also the most it adds to measured jitter).</summary>
    public TimeSpan ReceiveGather { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Parses the arguments; null with a message when they are wrong.</summary>
    public static LoadOptions? Parse(string[] args, out string? error)
    {
        error = null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var environment = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--recreate-database" or "--baresip" or "--restart")
            {
                flags.Add(args[i]);
            }
            else if (args[i] == "--switch-env" && i + 1 < args.Length && args[i + 1].IndexOf('=', StringComparison.Ordinal) > 0)
            {
                var pair = args[++i];
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                environment.Add(new(pair[..equals], pair[(equals + 1)..]));
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                values[args[i]] = args[++i];
            }
            else
            {
                error = $"Unexpected argument '{args[i]}'.";
                return null;
            }
        }

        if (!values.TryGetValue("--db", out var database))
        {
            error = "--db is required.";
            return null;
        }

        var suite = SrtpSuite.AesCm128HmacSha1Tag80;
        if (values.TryGetValue("--suite", out var suiteName) && !SrtpSuiteProfile.TryParse(suiteName, out suite))
        {
            error = $"Unknown SRTP suite '{suiteName}'.";
            return null;
        }

        CertificateKeyAlgorithm? caKey = null;
        if (values.TryGetValue("--ca-key", out var caKeyName))
        {
            if (!Enum.TryParse<CertificateKeyAlgorithm>(caKeyName, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                error = $"Unknown CA key algorithm '{caKeyName}': use one of {string.Join(", ", Enum.GetNames<CertificateKeyAlgorithm>())}.";
                return null;
            }

            caKey = parsed;
        }

        var options = new LoadOptions
        {
            Database = database,
            SwitchDatabase = values.GetValueOrDefault("--switch-db"),
            Handsets = Int(values, "--handsets", 100),
            Calls = Int(values, "--calls", 0),
            Media = TimeSpan.FromSeconds(Int(values, "--seconds", 20)),
            Baseline = TimeSpan.FromSeconds(Int(values, "--baseline", Int(values, "--seconds", 20))),
            Warmup = TimeSpan.FromSeconds(Int(values, "--warmup", 5)),
            RecreateDatabase = flags.Contains("--recreate-database"),
            SwitchDll = values.GetValueOrDefault("--switch-dll"),
            SwitchEnvironment = environment,
            Target = values.TryGetValue("--target", out var target) ? IPEndPoint.Parse(target) : null,
            SwitchPid = values.ContainsKey("--switch-pid") ? Int(values, "--switch-pid", 0) : null,
            Baresip = flags.Contains("--baresip"),
            Work = values.GetValueOrDefault("--work"),
            ConnectParallel = Int(values, "--connect-parallel", 8),
            CallParallel = Int(values, "--call-parallel", 16),
            PacerThreads = Int(values, "--pacer-threads", Environment.ProcessorCount),
            Restart = flags.Contains("--restart"),
            StormParallel = Int(values, "--storm-parallel", 256),
            Hold = TimeSpan.FromSeconds(Int(values, "--hold", 0)),
            ReceiveThreads = Int(values, "--receive-threads", 1),
            Suite = suite,
            CaKey = caKey,
            ReceiveGather = TimeSpan.FromMicroseconds(Int(values, "--receive-gather-us", 1000)),
        };
        if (options.Handsets < 2 * options.Calls + (options.Baresip ? 2 : 0))
        {
            error = "--handsets must be at least twice --calls (plus 2 with --baresip).";
            return null;
        }

        if (options.Restart && options.Target is not null)
        {
            error = "--restart needs a switch the tool starts itself (not --target).";
            return null;
        }

        if (options.Target is not null && options.SwitchPid is null)
        {
            error = "--target needs --switch-pid.";
            return null;
        }

        if (options.Target is not null && options.Target.Address.Equals(IPAddress.Loopback) is false)
        {
            error = "The load stays on loopback: --target must be 127.0.0.1.";
            return null;
        }

        return options;
    }

    private static int Int(Dictionary<string, string> values, string name, int fallback) =>
        values.TryGetValue(name, out var text) ? int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture) : fallback;
}
