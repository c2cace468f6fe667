using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Recordings;
using Npgsql;

namespace HostedPbx.Admin;

/// <summary>
/// <c>verify-recordings --tenant ID</c>: walks the tenant's manifest chain with the owner's connection and names every
/// recording missing, altered or out of order, one line each. Exit 0 when the chain is intact, 1 when not.
/// </summary>
internal static class RecordingCommands
{
    public static async Task<int> VerifyAsync(string connection, Guid tenantId, string masterKeyFile, string recordingsDirectory, TextWriter output,
        CancellationToken cancellationToken)
    {
        using var protector = new KeyOptions { MasterKeyFile = masterKeyFile }.CreateProtector();
        await using var dataSource = new NpgsqlDataSourceBuilder(connection).Build();
        await using var db = new PbxDbContext(DataServices.CreateOptions(dataSource));
        var result = await new RecordingVerifier(recordingsDirectory, protector).VerifyAsync(db, tenantId, cancellationToken);
        foreach (var finding in result.Findings)
        {
            var what = finding.RecordingId is { } id ? $"recording {id:D}" : "a recording";
            await output.WriteLineAsync($"{finding.Problem.ToString().ToLowerInvariant()}: {what} (chain index {finding.ChainIndex}): {finding.Detail}");
        }

        await output.WriteLineAsync(result.Checked == 0
            ? $"admin: tenant {tenantId:D} has no completed recordings to verify"
            : result.Intact
                ? $"admin: the chain of tenant {tenantId:D} is intact ({result.Checked} recording(s))"
                : $"admin: the chain of tenant {tenantId:D} is broken: {result.Findings.Count} problem(s) in {result.Checked} recording(s)");
        return result.Intact ? 0 : 1;
    }
}
