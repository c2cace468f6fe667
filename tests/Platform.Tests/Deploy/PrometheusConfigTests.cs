namespace HostedPbx.Platform.Tests.Deploy;

/// <summary>deploy/prometheus passes promtool (Debian's prometheus package), and promtool does reject a broken rule.</summary>
public sealed class PrometheusConfigTests
{
    private static readonly TimeSpan s_limit = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task PrometheusYml_PromtoolCheckConfig_ValidWithItsRules()
    {
        var promtool = DeployTool.Require("promtool", "the Debian package prometheus");

        var (exitCode, output) = await DeployTool.RunAsync(promtool, ["check", "config", DeployTool.Deploy("prometheus", "prometheus.yml")], s_limit);

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS: 1 rule files found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlertRules_PromtoolCheckRules_EveryAlertTheIssueNames()
    {
        var promtool = DeployTool.Require("promtool", "the Debian package prometheus");
        var rules = DeployTool.Deploy("prometheus", "hostedpbx-rules.yml");

        var (exitCode, output) = await DeployTool.RunAsync(promtool, ["check", "rules", rules], s_limit);

        Assert.True(exitCode == 0, output);
        var text = await File.ReadAllTextAsync(rules, TestContext.Current.CancellationToken);
        // promtool read every alert the file has (none was skipped as malformed YAML).
        var alerts = text.Split('\n').Count(line => line.TrimStart().StartsWith("- alert: ", StringComparison.Ordinal));
        Assert.Contains($"SUCCESS: {alerts} rules found", output, StringComparison.Ordinal);
        Assert.All(
            ["HostedPbxPartDown", "HostedPbxHandshakeRefusalsSpike", "HostedPbxMediaLoss", "HostedPbxMediaLossReported", "HostedPbxFraudGuardTripped",
             "HostedPbxSwitchCertificateExpiring", "HostedPbxPlatformCaExpiring", "HostedPbxRecordingWriterBehind"],
            alert => Assert.Contains($"alert: {alert}\n", text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AlertRules_BrokenExpression_PromtoolRejects()
    {
        var promtool = DeployTool.Require("promtool", "the Debian package prometheus");
        var broken = Path.Combine(Directory.CreateTempSubdirectory("hostedpbx-rules-").FullName, "broken.yml");
        var text = await File.ReadAllTextAsync(DeployTool.Deploy("prometheus", "hostedpbx-rules.yml"), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(broken, text.Replace("up{job=~\"switch|provisioning|web\"} == 0", "up{job=~\"switch\" == 0", StringComparison.Ordinal),
            TestContext.Current.CancellationToken);

        var (exitCode, output) = await DeployTool.RunAsync(promtool, ["check", "rules", broken], s_limit);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("FAILED", output, StringComparison.Ordinal);
    }
}
