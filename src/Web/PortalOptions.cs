using System.ComponentModel.DataAnnotations;

namespace HostedPbx.Web;

/// <summary>What the portal tells people about the platform's other addresses (section "Portal").</summary>
public sealed class PortalOptions
{
    public const string SectionName = "Portal";

    /// <summary>Where handsets fetch their configuration (mutual TLS); each appends its own file name.</summary>
    [Required, Url]
    public string ProvisioningUrl { get; set; } = "https://localhost:7443/provision/";
}
