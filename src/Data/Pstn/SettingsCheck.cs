using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace HostedPbx.Data.Pstn;

/// <summary>
/// The data annotations on a settings record's parameters, checked outside the API's built-in validation: the portal
/// asks this, so its forms refuse exactly what the API's annotations refuse and no rule is written twice.
/// </summary>
public static class SettingsCheck
{
    public static PstnProblem? Problem<T>(T settings) where T : class
    {
        ArgumentNullException.ThrowIfNull(settings);
        var constructor = typeof(T).GetConstructors().MaxBy(c => c.GetParameters().Length)!;
        foreach (var parameter in constructor.GetParameters())
        {
            var value = typeof(T).GetProperty(parameter.Name!)?.GetValue(settings);
            foreach (var attribute in parameter.GetCustomAttributes<ValidationAttribute>(inherit: true))
            {
                var context = new ValidationContext(settings) { MemberName = parameter.Name, DisplayName = parameter.Name! };
                if (attribute.GetValidationResult(value, context) is { ErrorMessage: { } message })
                {
                    return new PstnProblem(parameter.Name!, message);
                }
            }
        }

        return null;
    }
}
