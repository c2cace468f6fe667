using System.ComponentModel.DataAnnotations;

namespace HostedPbx.Data.Certificates;

/// <summary>Policy of the platform certificate authority, bound from the "CertificateAuthority" section.</summary>
public sealed class CertificateAuthorityOptions
{
    public const string SectionName = "CertificateAuthority";

    [Required]
    public string RootCommonName { get; set; } = "HostedPbx Root CA";

    [Required]
    public string DeviceCaCommonName { get; set; } = "HostedPbx Device CA";

    /// <summary>Organization (O) written in the CA subjects.</summary>
    [Required]
    public string Organization { get; set; } = "HostedPbx";

    [Range(365, 36500)]
    public int RootValidityDays { get; set; } = 7300;

    [Range(30, 36500)]
    public int IntermediateValidityDays { get; set; } = 3650;

    /// <summary>Devices are re-enrolled rarely; 825 days is the longest the CA/Browser Forum ever allowed a leaf.</summary>
    [Range(1, 36500)]
    public int DeviceValidityDays { get; set; } = 825;

    [Range(1, 3650)]
    public int ServerValidityDays { get; set; } = 397;

    /// <summary>How far before "now" a new certificate starts, so a handset with a slow clock accepts it.</summary>
    [Range(0, 1440)]
    public int ClockSkewMinutes { get; set; } = 5;

    /// <summary>
    /// The key of a new platform root and device CA. Every handset's handshake verifies their signatures, more than once
    /// (the TLS stack's chain and ours): a P-384 signature takes about 15 times as long to verify as a P-256 one, and the
    /// leaves are P-256, so a P-384 CA added cost to every registration (13.5 against 7.5 ms of switch CPU, see
    /// docs/benchmarks.md) and no strength to the chain. An existing CA keeps its key.
    /// </summary>
    public CertificateKeyAlgorithm CaKeyAlgorithm { get; set; } = CertificateKeyAlgorithm.EcdsaP256;

    public CertificateKeyAlgorithm DeviceKeyAlgorithm { get; set; } = CertificateKeyAlgorithm.EcdsaP256;

    public CertificateKeyAlgorithm ServerKeyAlgorithm { get; set; } = CertificateKeyAlgorithm.EcdsaP256;

    /// <summary>Where the issuing CA's CRL is published (CRL distribution point of issued certificates); none when empty.</summary>
    [Url]
    public string? CrlUrl { get; set; }

    /// <summary>How long a CRL is current (its nextUpdate).</summary>
    [Range(1, 8760)]
    public int CrlValidityHours { get; set; } = 168;

    /// <summary>A published CRL is signed anew when less than this much of its validity is left (the refresh job runs hourly).</summary>
    [Range(1, 8760)]
    public int CrlRefreshHours { get; set; } = 24;

    /// <summary>How far ahead of its expiry a platform certificate is renewed, and a vendor certificate flagged for attention.</summary>
    [Range(1, 365)]
    public int RenewalLeadDays { get; set; } = 30;
}
