using System.Text.RegularExpressions;
using HostedPbx.Data.Entities;

namespace HostedPbx.Data.Recordings;

/// <summary>
/// A tenant's in-call recording codes (shared/DESIGN.md, "Feature codes and numbers"): <c>*1</c> starts and stops an
/// on-demand recording and <c>*2</c> pauses and resumes one, unless the tenant chose others. The one rule for a choice,
/// called by the API and the portal alike: <c>*</c> and 1-3 digits, and no code may equal or begin another (the switch
/// acts on a code as soon as its last digit is keyed, so <c>*1</c> would hide <c>*12</c>), nor the voicemail access
/// number or an extension of the tenant.
/// </summary>
public sealed partial record RecordingFeatureCodes(string StartStop, string PauseResume)
{
    public static RecordingFeatureCodes Default { get; } = new("*1", "*2");

    public static RecordingFeatureCodes Of(Tenant tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return new RecordingFeatureCodes(tenant.RecordingStartStopCode, tenant.RecordingPauseCode);
    }

    /// <summary>Null when the codes may be used by the tenant; otherwise the field at fault and a sentence saying why.</summary>
    public (string Field, string Message)? Problem(string voicemailAccessNumber, IEnumerable<string> extensionNumbers)
    {
        ArgumentNullException.ThrowIfNull(extensionNumbers);
        foreach (var (field, code) in Fields())
        {
            if (code is null || !Shape().IsMatch(code))
            {
                return (field, $"The {Label(field)} code is * followed by 1 to 3 digits, e.g. *1.");
            }
        }

        if (Clash(StartStop, PauseResume))
        {
            return (nameof(PauseResume), $"The two codes clash: {StartStop} and {PauseResume} must differ, and neither may begin the other.");
        }

        foreach (var (field, code) in Fields())
        {
            if (Clash(code, voicemailAccessNumber))
            {
                return (field, $"The {Label(field)} code {code} clashes with the voicemail access number {voicemailAccessNumber}.");
            }

            if (extensionNumbers.FirstOrDefault(number => Clash(code, number)) is { } extension)
            {
                return (field, $"The {Label(field)} code {code} clashes with extension {extension}.");
            }
        }

        return null;
    }

    private (string Field, string Code)[] Fields() => [(nameof(StartStop), StartStop), (nameof(PauseResume), PauseResume)];

    private static string Label(string field) => field == nameof(StartStop) ? "start/stop" : "pause/resume";

    private static bool Clash(string a, string b) =>
        a.StartsWith(b, StringComparison.Ordinal) || b.StartsWith(a, StringComparison.Ordinal);

    [GeneratedRegex(@"^\*[0-9]{1,3}$")]
    private static partial Regex Shape();
}
