using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace HostedPbx.Web.Components.Forms;

/// <summary>
/// Checks a form's data annotations when it is submitted, and only then; the portal's forms use it in place of Blazor's
/// <c>DataAnnotationsValidator</c>. That one also checks a field as it is left, so a message appears or goes at the
/// moment someone moves from the field to the submit button, and everything below the field moves with it. A click that
/// began on the button then ends beside it, and nothing is submitted: the person who corrected a field and went straight
/// to "Save" saved nothing. Here the messages beside the fields change only on submit, when the page answers anyway.
/// </summary>
public sealed class SubmitValidator : ComponentBase, IDisposable
{
    private EditContext? _context;
    private ValidationMessageStore? _messages;

    [CascadingParameter] private EditContext? CurrentEditContext { get; set; }

    [Inject] private IServiceProvider Services { get; set; } = default!;

    /// <summary>
    /// A form's context with the store for the messages its page adds itself (a number taken, a MAC refused). They too
    /// stay until the next submit, which clears them before anything checks again.
    /// </summary>
    public static (EditContext Context, ValidationMessageStore Messages) NewContext(object model)
    {
        var context = new EditContext(model);
        var messages = new ValidationMessageStore(context);
        context.OnValidationRequested += (_, _) => messages.Clear();
        return (context, messages);
    }

    public void Dispose() => Detach();

    protected override void OnParametersSet()
    {
        if (CurrentEditContext is null)
        {
            throw new InvalidOperationException($"{nameof(SubmitValidator)} belongs inside an EditForm.");
        }

        if (!ReferenceEquals(CurrentEditContext, _context))
        {
            Detach();
            _context = CurrentEditContext;
            _messages = new ValidationMessageStore(_context);
            _context.OnValidationRequested += Validate;
        }
    }

    private void Validate(object? sender, ValidationRequestedEventArgs e)
    {
        var context = _context!;
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(context.Model, new ValidationContext(context.Model, Services, items: null), results, validateAllProperties: true);
        _messages!.Clear();
        foreach (var result in results)
        {
            foreach (var member in result.MemberNames.DefaultIfEmpty(string.Empty))
            {
                _messages.Add(context.Field(member), result.ErrorMessage ?? "This value is not valid.");
            }
        }

        context.NotifyValidationStateChanged();
    }

    private void Detach()
    {
        if (_context is not null)
        {
            _context.OnValidationRequested -= Validate;
            _messages?.Clear();
            _context = null;
        }
    }
}
