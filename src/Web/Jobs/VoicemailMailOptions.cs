using System.ComponentModel.DataAnnotations;

namespace HostedPbx.Web.Jobs;

/// <summary>The SMTP relay that voicemail e-mails go through (section "Smtp"). No host: no e-mail is sent.</summary>
public sealed class VoicemailMailOptions
{
    public const string SectionName = "Smtp";

    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>RFC 3207: upgrade the connection with STARTTLS before anything is sent; a relay that cannot is refused.</summary>
    public bool UseStartTls { get; set; } = true;

    public string? Username { get; set; }

    public string? Password { get; set; }

    [Required, EmailAddress]
    public string From { get; set; } = "voicemail@localhost";

    /// <summary>A CA (PEM) that alone vouches for the relay's certificate, e.g. a private relay's; empty: the system's trust.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>The portal's address, for the link in each notice.</summary>
    [Required, Url]
    public string PortalUrl { get; set; } = "https://localhost:5443";

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}
