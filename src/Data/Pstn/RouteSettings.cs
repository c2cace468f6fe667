using System.ComponentModel.DataAnnotations;

namespace HostedPbx.Data.Pstn;

/// <summary>
/// An outbound route: numbers matching <see cref="Pattern"/> go out on <see cref="TrunkIds"/> in order; lowest priority first.
/// <see cref="CallerId"/>, when given, is presented on calls this route carries instead of the caller's own number; it must be
/// one of the tenant's numbers.
/// </summary>
public sealed record RouteSettings(
    [Required, StringLength(100, MinimumLength = 1)] string Name,
    [Required] string Pattern,
    [Range(0, 1000, ErrorMessage = "Priority must be 0 to 1000.")] int Priority,
    [Required] Guid[] TrunkIds,
    bool Enabled = true,
    [StringLength(16)] string? CallerId = null);
