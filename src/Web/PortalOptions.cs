using System.ComponentModel.DataAnnotations;

namespace HostedPbx.Web;

/// <summary>What the portal tells people about the platform's other addresses (section "Portal").</summary>
public sealed class PortalOptions
{
    public const string SectionName = "Portal";

    /// <summary>Where handsets fetch their configuration (mutual TLS); each appends its own file name.</summary>
    [Required, Url]
    public string ProvisioningUrl { get; set; } = "https://localhost:7443/provision/";

    /// <summary>How often each open circuit's user is checked again (lockout, role, security stamp, reseller and tenant status).</summary>
    [Range(1, 60)]
    public int SessionRevalidationSeconds { get; set; } = 60;
}
