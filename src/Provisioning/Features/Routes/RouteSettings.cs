using System.ComponentModel.DataAnnotations;

namespace HostedPbx.Provisioning.Features.Routes;

/// <summary>An outbound route: numbers matching <see cref="Pattern"/> go out on <see cref="TrunkIds"/> in order; lowest priority first.</summary>
public sealed record RouteSettings(
    [Required, StringLength(100, MinimumLength = 1)] string Name,
    [Required] string Pattern,
    [Range(0, 1000, ErrorMessage = "Priority must be 0 to 1000.")] int Priority,
    [Required] Guid[] TrunkIds,
    bool Enabled = true);
