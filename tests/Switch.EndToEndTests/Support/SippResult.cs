namespace HostedPbx.Switch.EndToEndTests.Support;

/// <summary>What one SIPp run ended with: exit code 0 means its one call followed the scenario to the end.</summary>
internal sealed record SippResult(int ExitCode, string Messages, string Errors)
{
    public bool Succeeded => ExitCode == 0;

    public override string ToString() => $"sipp exit {ExitCode}\n--- errors ---\n{Errors}\n--- messages ---\n{Messages}";
}
