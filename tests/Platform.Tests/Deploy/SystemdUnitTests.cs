namespace HostedPbx.Platform.Tests.Deploy;

/// <summary>The units for one machine pass <c>systemd-analyze verify</c>; a unit with a mistake does not.</summary>
public sealed class SystemdUnitTests
{
    private static readonly TimeSpan s_limit = TimeSpan.FromMinutes(2);

    public static TheoryData<string> Units() =>
        [.. Directory.GetFiles(DeployTool.Deploy("systemd")).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Units))]
    public async Task Unit_SystemdAnalyzeVerify_ReportsNothing(string unit)
    {
        var analyze = DeployTool.Require("systemd-analyze", "systemd");

        var (exitCode, output) = await DeployTool.RunAsync(analyze, ["verify", DeployTool.Deploy("systemd", unit)], s_limit);

        Assert.True(exitCode == 0 && output.Trim().Length == 0, $"exit {exitCode}: {output}");
    }

    [Fact]
    public async Task Unit_MisspelledKey_SystemdAnalyzeReportsIt()
    {
        var analyze = DeployTool.Require("systemd-analyze", "systemd");
        var broken = Path.Combine(Directory.CreateTempSubdirectory("hostedpbx-units-").FullName, "hostedpbx-web.service");
        var text = await File.ReadAllTextAsync(DeployTool.Deploy("systemd", "hostedpbx-web.service"), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(broken, text.Replace("RestartSec=", "RestartSecs=", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var (_, output) = await DeployTool.RunAsync(analyze, ["verify", broken], s_limit);

        Assert.Contains("Unknown key 'RestartSecs'", output, StringComparison.Ordinal);
    }
}
