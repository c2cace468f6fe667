using System.ComponentModel.DataAnnotations;

namespace HostedPbx.Data.Extensions;

public sealed record ExtensionSettings(
    [Required, RegularExpression("^[0-9]{2,8}$", ErrorMessage = "Number must be 2 to 8 digits.")] string Number,
    [Required, StringLength(100, MinimumLength = 1)] string DisplayName,
    bool VoicemailEnabled = true,
    [EmailAddress, StringLength(320)] string? VoicemailEmail = null);
