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

    [Range(1024, 65535, ErrorMessage = "Switch:MediaPortMin must be between 1024 and 65535.")]
    public int MediaPortMin { get; set; } = 30000;

    [Range(1024, 65535, ErrorMessage = "Switch:MediaPortMax must be between 1024 and 65535.")]
    public int MediaPortMax { get; set; } = 30999;
}
