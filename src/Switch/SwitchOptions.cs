using System.ComponentModel.DataAnnotations;

namespace HostedPbx.Switch;

/// <summary>The switch's settings (section "Switch").</summary>
public sealed class SwitchOptions
{
    public const string SectionName = "Switch";

    /// <summary>Name of this node in registrations and logs.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,100}$", ErrorMessage = "Switch:NodeName must be 1-100 letters, digits, dots, dashes or underscores.")]
    public string NodeName { get; set; } = Environment.MachineName;

    /// <summary>Where SIP over TLS listens, ip:port.</summary>
    [Required]
    [RegularExpression(@"^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):\d{1,5}$", ErrorMessage = "Switch:SipListen must be ip:port, e.g. 127.0.0.1:5061.")]
    public string SipListen { get; set; } = "127.0.0.1:5061";

    /// <summary>
    /// Issue 11: where SIP over plain UDP listens for the named trunks the operator allowed plain transport for, ip:port;
    /// empty (the default): nowhere, and a plain trunk is never used. Only those trunks' addresses are answered here.
    /// </summary>
    [RegularExpression(@"^((\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):\d{1,5})?$", ErrorMessage = "Switch:PlainTrunkListen must be empty or ip:port, e.g. 192.0.2.10:5060.")]
    public string PlainTrunkListen { get; set; } = "";

    /// <summary>The switch's TLS certificate, PEM, leaf first then its chain. Empty: Kestrel:Certificates:Default:Path.</summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>The private key of <see cref="CertificatePath"/>, PEM. Empty: Kestrel:Certificates:Default:KeyPath.</summary>
    public string PrivateKeyPath { get; set; } = "";

    /// <summary>
    /// PEM bundle of the CAs that vouch for carriers' certificates (as servers and as clients); empty: the system's trust store.
    /// </summary>
    public string CarrierTrustAnchorPath { get; set; } = "";

    [Range(1024, 65535, ErrorMessage = "Switch:MediaPortMin must be between 1024 and 65535.")]
    public int MediaPortMin { get; set; } = 30000;

    [Range(1024, 65535, ErrorMessage = "Switch:MediaPortMax must be between 1024 and 65535.")]
    public int MediaPortMax { get; set; } = 30999;

    /// <summary>Media relay threads (issue 13); 0 means one per core.</summary>
    [Range(0, 64, ErrorMessage = "Switch:RelayThreads must be between 0 (one per core) and 64.")]
    public int RelayThreads { get; set; }

    /// <summary>How long a quiet relay thread lets packets gather before draining them, in microseconds (0: never waits).</summary>
    [Range(0, 5000, ErrorMessage = "Switch:RelayGatherMicroseconds must be between 0 and 5000.")]
    public int RelayGatherMicroseconds { get; set; } = 1000;

    /// <summary>The reload of the device directory when no change notice came (a notice reloads it at once).</summary>
    [Range(1, 3600, ErrorMessage = "Switch:DirectoryRefreshSeconds must be between 1 and 3600.")]
    public int DirectoryRefreshSeconds { get; set; } = 60;

    [Range(10, 86400, ErrorMessage = "Switch:IdleTimeoutSeconds must be between 10 and 86400.")]
    public int IdleTimeoutSeconds { get; set; } = 900;

    [Range(1, 3600, ErrorMessage = "Switch:MinExpiresSeconds must be between 1 and 3600.")]
    public int MinExpiresSeconds { get; set; } = 60;

    [Range(60, 86400, ErrorMessage = "Switch:MaxExpiresSeconds must be between 60 and 86400.")]
    public int MaxExpiresSeconds { get; set; } = 3600;

    [Range(5, 600, ErrorMessage = "Switch:NoAnswerSeconds must be between 5 and 600.")]
    public int NoAnswerSeconds { get; set; } = 60;

    [Range(5, 3600, ErrorMessage = "Switch:MediaTimeoutSeconds must be between 5 and 3600.")]
    public int MediaTimeoutSeconds { get; set; } = 60;

    // Connection and registration limits (issue 12 item 4). Each default sits well above what a busy small business
    // uses; a limit reached is refused, answered where SIP can answer, and audited.

    /// <summary>Open TLS connections one device may hold at once; one more is refused at the handshake's end.</summary>
    [Range(1, 1000, ErrorMessage = "Switch:MaxConnectionsPerDevice must be between 1 and 1000.")]
    public int MaxConnectionsPerDevice { get; set; } = 10;

    /// <summary>TLS handshakes in progress from one source address; an office behind one NAT address shares it.</summary>
    [Range(1, 100000, ErrorMessage = "Switch:MaxHandshakesPerAddress must be between 1 and 100000.")]
    public int MaxHandshakesPerAddress { get; set; } = 64;

    /// <summary>How long a TLS handshake may take before the connection is dropped.</summary>
    [Range(1, 120, ErrorMessage = "Switch:HandshakeTimeoutSeconds must be between 1 and 120.")]
    public int HandshakeTimeoutSeconds { get; set; } = 10;

    /// <summary>How long a connection may hold a SIP message it has begun but not finished (a slow header) before it is closed.</summary>
    [Range(1, 600, ErrorMessage = "Switch:PartialMessageSeconds must be between 1 and 600.")]
    public int PartialMessageSeconds { get; set; } = 20;

    /// <summary>Contacts one extension may have registered at once; a REGISTER adding more is refused with a reason.</summary>
    [Range(1, 1000, ErrorMessage = "Switch:MaxBindingsPerExtension must be between 1 and 1000.")]
    public int MaxBindingsPerExtension { get; set; } = 20;

    // The call layer's limits (issue 12 item 4), with defaults a busy small business never hits, and its prompts.

    /// <summary>Calls one device may have ringing at once; the next INVITE is answered 503 with the reason.</summary>
    [Range(1, 1000, ErrorMessage = "Switch:MaxPendingInvitesPerDevice must be between 1 and 1000.")]
    public int MaxPendingInvitesPerDevice { get; set; } = 10;

    /// <summary>Where the prompts are (WAV, 8 kHz 16-bit mono); a missing one is spoken by espeak-ng at start. Replace them with recorded ones at will.</summary>
    [Required]
    public string PromptsDirectory { get; set; } = ".data/prompts";

    // Trunks (issue 11 item 1): how carriers are found and watched.

    /// <summary>The name server ("address" or "address:port") asked for carriers' NAPTR/SRV/A records; empty: the system's.</summary>
    [RegularExpression(@"^$|^\[?[0-9A-Fa-f:.]+\]?(:[0-9]{1,5})?$", ErrorMessage = "Switch:TrunkDnsServer must be an IP address, optionally with :port.")]
    public string TrunkDnsServer { get; set; } = "";

    /// <summary>How often each node sends OPTIONS to each trunk it may use (RFC 3261 §11).</summary>
    [Range(5, 3600, ErrorMessage = "Switch:TrunkKeepaliveSeconds must be between 5 and 3600.")]
    public int TrunkKeepaliveSeconds { get; set; } = 30;

    /// <summary>Unanswered OPTIONS in a row after which a trunk is marked down (one answer marks it up again).</summary>
    [Range(1, 100, ErrorMessage = "Switch:TrunkKeepaliveMisses must be between 1 and 100.")]
    public int TrunkKeepaliveMisses { get; set; } = 3;

    /// <summary>Filled from Kestrel's default certificate when the switch's own paths are not set (set by SwitchServices).</summary>
    internal string ResolvedCertificatePath { get; set; } = "";

    internal string ResolvedPrivateKeyPath { get; set; } = "";
}
