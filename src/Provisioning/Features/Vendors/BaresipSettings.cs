namespace HostedPbx.Provisioning.Features.Vendors;

/// <summary>
/// What only the baresip softphone needs: local paths and sockets. Defaults are the loopback-only values proven in
/// shared/peers/README.md §3 (no name lookups leave the machine, no sound card).
/// </summary>
public sealed record BaresipSettings
{
    /// <summary>Certificate and key in one PEM file (the demo writes <c>.data/demo/devices/{mac}.pem</c>).</summary>
    public required string CertificatePath { get; init; }

    /// <summary>The trust anchor file (the demo writes <c>.data/demo/ca.crt</c>). baresip 1.0 loads it but does not verify the server.</summary>
    public required string CaPath { get; init; }

    /// <summary>UDP/TCP listen address; baresip listens for TLS on this port + 1.</summary>
    public string SipListen { get; init; } = "127.0.0.1:5071";

    public string RtpPorts { get; init; } = "20000-20049";

    /// <summary><c>lo</c> fails in baresip 1.0; an address works.</summary>
    public string NetInterface { get; init; } = "127.0.0.1";

    /// <summary><c>127.0.0.1:53</c> in development so that no lookup reaches a real resolver; null leaves baresip's default.</summary>
    public string? DnsServer { get; init; } = "127.0.0.1:53";

    /// <summary>Driver and device, e.g. <c>aufile,/path/speech_8k.wav</c>. The call ends when the file does.</summary>
    public string AudioSource { get; init; } = "aufile,/dev/null";

    /// <summary>Driver and device; <c>aufile</c> is source-only in 1.0, so received audio is recorded with <see cref="RecordingPath"/>.</summary>
    public string AudioPlayer { get; init; } = "alsa,null";

    /// <summary>Directory for the <c>sndfile</c> module's <c>dump-*-dec.wav</c>; null loads no recorder.</summary>
    public string? RecordingPath { get; init; }

    /// <summary><c>ctrl_tcp</c> listen address for scripted tests (netstring JSON); null loads no control module.</summary>
    public string? ControlListen { get; init; }

    public string ModulePath { get; init; } = "/usr/lib/baresip/modules";
}
