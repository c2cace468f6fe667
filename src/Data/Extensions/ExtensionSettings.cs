using System.ComponentModel.DataAnnotations;

namespace HostedPbx.Data.Extensions;

public sealed record ExtensionSettings(
    [Required, RegularExpression("^[0-9]{2,8}$", ErrorMessage = "Number must be 2 to 8 digits.")] string Number,
    [Required, StringLength(100, MinimumLength = 1)] string DisplayName,
    bool VoicemailEnabled = true,
    [EmailAddress, StringLength(320)] string? VoicemailEmail = null,
    [RegularExpression("^[0-9]{2,8}$", ErrorMessage = "ForwardAlways must be an extension number (2 to 8 digits).")] string? ForwardAlways = null,
    [RegularExpression("^[0-9]{2,8}$", ErrorMessage = "ForwardBusy must be an extension number (2 to 8 digits).")] string? ForwardBusy = null,
    [RegularExpression("^[0-9]{2,8}$", ErrorMessage = "ForwardNoAnswer must be an extension number (2 to 8 digits).")] string? ForwardNoAnswer = null,
    [Range(5, 120, ErrorMessage = "ForwardNoAnswerSeconds must be 5 to 120.")] int ForwardNoAnswerSeconds = 20);
