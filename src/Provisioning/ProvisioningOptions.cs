using System.ComponentModel.DataAnnotations;

namespace HostedPbx.Provisioning;

/// <summary>What handsets are told (section "Provisioning").</summary>
public sealed class ProvisioningOptions
{
    public const string SectionName = "Provisioning";

    /// <summary>The switch's SIP/TLS host as handsets reach it.</summary>
    [Required]
    public string SwitchHost { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int SwitchPort { get; set; } = 5061;

    /// <summary>
    /// A second switch node handsets turn to when the first refuses them (503 while it drains) or is gone; written into
    /// every vendor's second-server keys over TLS. Empty: none.
    /// </summary>
    [RegularExpression(@"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)$", ErrorMessage = "Provisioning:BackupSwitchHost must be a host name or an IP literal.")]
    public string? BackupSwitchHost { get; set; }

    /// <summary>The backup node's SIP/TLS port; empty: the same as SwitchPort.</summary>
    [Range(1, 65535)]
    public int? BackupSwitchPort { get; set; }

    /// <summary>PEM file of the CA that signed the switch's certificate (the platform root); handsets verify the switch with it.</summary>
    [Required(ErrorMessage = "Provisioning:SwitchCaPath is missing: give the PEM file of the CA that signed the switch's certificate.")]
    public string SwitchCaPath { get; set; } = "";

    /// <summary>For softphones: the folder on the handset's machine holding {mac}.pem and ca.crt (the demo's .data/demo).</summary>
    public string SoftphoneFilesDirectory { get; set; } = ".data/demo";

    /// <summary>
    /// Refused provisioning requests audited one by one per source address and minute; beyond it they are counted, and
    /// the count is audited once, so a flood of strangers cannot fill the audit log.
    /// </summary>
    [Range(1, 10000)]
    public int RefusalAuditsPerMinute { get; set; } = 20;
}
