using System.ComponentModel.DataAnnotations;
using HostedPbx.Data.Entities;

namespace HostedPbx.Data.Pstn;

/// <summary>
/// A tenant's trunk as the API takes it: <see cref="CarrierId"/> for one of the operator's carriers, or the tenant's own
/// <see cref="Host"/>. The password is write-only: null keeps the stored one, "" clears it.
/// </summary>
public sealed record TrunkSettings(
    [Required, StringLength(100, MinimumLength = 1)] string Name,
    Guid? CarrierId = null,
    [StringLength(253)] string? Host = null,
    [Range(1, 65535, ErrorMessage = "Port must be 1 to 65535.")] int Port = 5061,
    TrunkTransport Transport = TrunkTransport.Tls,
    bool PlainTransportAllowed = false,
    [StringLength(253)] string? CertificateName = null,
    SrtpMode SrtpMode = SrtpMode.Required,
    [StringLength(100)] string? Username = null,
    [StringLength(200)] string? Password = null,
    [Range(1, 10000, ErrorMessage = "MaxChannels must be 1 to 10000.")] int MaxChannels = 30,
    bool Enabled = true);
