using System.ComponentModel.DataAnnotations;
using HostedPbx.Data.Entities;

namespace HostedPbx.Data.Pstn;

/// <summary>An operator's carrier as the API takes it. The password is write-only: null keeps the stored one, "" clears it.</summary>
public sealed record CarrierSettings(
    [Required, StringLength(100, MinimumLength = 1)] string Name,
    [Required, StringLength(253, MinimumLength = 1)] string Host,
    [Range(1, 65535, ErrorMessage = "Port must be 1 to 65535.")] int Port = 5061,
    TrunkTransport Transport = TrunkTransport.Tls,
    [StringLength(253)] string? CertificateName = null,
    SrtpMode SrtpMode = SrtpMode.Required,
    [StringLength(100)] string? Username = null,
    [StringLength(200)] string? Password = null,
    [Range(1, 100000, ErrorMessage = "MaxChannels must be 1 to 100000.")] int MaxChannels = 300,
    bool Enabled = true);
