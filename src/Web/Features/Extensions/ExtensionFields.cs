using System.ComponentModel.DataAnnotations;
using HostedPbx.Data.Extensions;

namespace HostedPbx.Web.Features.Extensions;

/// <summary>One extension as the portal's form and each CSV row give it; the same attributes check both.</summary>
public sealed class ExtensionFields
{
    [Required(ErrorMessage = "Give the number."), RegularExpression("^[0-9]{2,8}$", ErrorMessage = "The number is 2 to 8 digits.")]
    public string Number { get; set; } = "";

    [Required(ErrorMessage = "Give the name shown on handsets."), StringLength(100, ErrorMessage = "At most 100 characters.")]
    public string DisplayName { get; set; } = "";

    [EmailAddress(ErrorMessage = "Not an e-mail address."), StringLength(320)]
    public string? VoicemailEmail { get; set; }

    public bool VoicemailEnabled { get; set; } = true;

    public ExtensionSettings ToSettings() =>
        new(Number.Trim(), DisplayName.Trim(), VoicemailEnabled, string.IsNullOrWhiteSpace(VoicemailEmail) ? null : VoicemailEmail.Trim());

    /// <summary>The first problem with these fields, or null.</summary>
    public string? Problem()
    {
        var results = new List<ValidationResult>();
        return Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true)
            ? null
            : string.Join(" ", results.Select(r => r.ErrorMessage));
    }
}
