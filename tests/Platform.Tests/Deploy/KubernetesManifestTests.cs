namespace HostedPbx.Platform.Tests.Deploy;

/// <summary>
/// deploy/kubernetes renders with kustomize (kubectl's) and every object passes an offline schema check: the Kubernetes
/// API schemas of npm's kubernetes-models, and for the CloudNativePG Cluster the subset of its CRD in schema/validate.mjs.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly SemaphoreSlim s_install = new(1, 1);

    [Fact]
    public async Task ProductionOverlay_Rendered_EveryObjectPassesSchemaCheck()
    {
        var rendered = await RenderAsync("production");

        var (exitCode, output) = await ValidateAsync(rendered);

        Assert.True(exitCode == 0, output);
        Assert.Contains("15 valid, 0 invalid", output, StringComparison.Ordinal);
        Assert.All(
            ["ok Deployment/hostedpbx-web", "ok Deployment/hostedpbx-provisioning", "ok Service/hostedpbx-web", "ok Ingress/hostedpbx",
             "ok StatefulSet/hostedpbx-switch", "ok PodDisruptionBudget/hostedpbx-switch", "ok Cluster/hostedpbx-db",
             "ok Secret/hostedpbx-master-key", "ok Secret/hostedpbx-server-tls"],
            line => Assert.Contains(line, output, StringComparison.Ordinal));
        var text = await File.ReadAllTextAsync(rendered, TestContext.Current.CancellationToken);
        Assert.Contains("hostNetwork: true", text, StringComparison.Ordinal);
        Assert.Contains("namespace: hostedpbx", text, StringComparison.Ordinal);
        Assert.Contains("image: hostedpbx/switch:1.0.0", text, StringComparison.Ordinal);
        Assert.Contains("preStop:", text, StringComparison.Ordinal);
        Assert.Equal(6, text.Split("path: /health").Length - 1);
    }

    [Fact]
    public async Task Manifest_WrongType_SchemaCheckRejectsIt()
    {
        var rendered = await RenderAsync("production");
        var text = await File.ReadAllTextAsync(rendered, TestContext.Current.CancellationToken);
        var broken = Path.Combine(Path.GetDirectoryName(rendered)!, "broken.yaml");
        await File.WriteAllTextAsync(broken, text.Replace("containerPort: 8080", "containerPort: eighty", StringComparison.Ordinal)
            .Replace("instances: 3", "instances: three", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var (exitCode, output) = await ValidateAsync(broken);

        Assert.Equal(1, exitCode);
        Assert.Contains("FAIL Deployment/hostedpbx-web: data/spec/template/spec/containers/0/ports/0/containerPort must be integer", output, StringComparison.Ordinal);
        Assert.Contains("FAIL Cluster/hostedpbx-db: /spec/instances must be integer", output, StringComparison.Ordinal);
    }

    private static async Task<string> RenderAsync(string overlay)
    {
        var kubectl = DeployTool.Require("kubectl", "kubectl (its built-in kustomize)");
        var (exitCode, output) = await DeployTool.RunAsync(
            kubectl, ["kustomize", DeployTool.Deploy("kubernetes", "overlays", overlay)], TimeSpan.FromMinutes(2));
        Assert.True(exitCode == 0, output);
        var path = Path.Combine(Directory.CreateTempSubdirectory("hostedpbx-k8s-").FullName, $"{overlay}.yaml");
        await File.WriteAllTextAsync(path, output, TestContext.Current.CancellationToken);
        return path;
    }

    /// <summary>Runs schema/validate.mjs, its npm packages installed once (from the lock file) beside the test binaries.</summary>
    private static async Task<(int ExitCode, string Output)> ValidateAsync(string rendered)
    {
        var node = DeployTool.Require("node", "nodejs");
        var npm = DeployTool.Require("npm", "npm");
        var source = Path.Combine(DeployTool.RepositoryRoot, "tests", "Platform.Tests", "Deploy", "schema");
        var work = Path.Combine(AppContext.BaseDirectory, "manifest-check");
        await s_install.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            Directory.CreateDirectory(work);
            foreach (var file in new[] { "package.json", "package-lock.json", "validate.mjs" })
            {
                File.Copy(Path.Combine(source, file), Path.Combine(work, file), overwrite: true);
            }

            if (!Directory.Exists(Path.Combine(work, "node_modules", "kubernetes-models")))
            {
                var (exitCode, output) = await DeployTool.RunAsync(npm, ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(10), work);
                Assert.True(exitCode == 0, $"npm ci: {output}");
            }
        }
        finally
        {
            s_install.Release();
        }

        return await DeployTool.RunAsync(node, [Path.Combine(work, "validate.mjs"), rendered], TimeSpan.FromMinutes(2), work);
    }
}
