using HostedPbx.Switch.LoadTool.Setup;

namespace HostedPbx.Switch.LoadTool;

internal sealed partial class LoadRun
{
    private Task RunBaresipCheckAsync(LoadHandset identity, LoadSeeder seeder, string work, CancellationToken cancellationToken)
    {
        _ = identity;
        _ = seeder;
        _ = work;
        _ = cancellationToken;
        return Task.CompletedTask;
    }
}
