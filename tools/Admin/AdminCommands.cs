using HostedPbx.Data;
using HostedPbx.Data.Hosting;
using HostedPbx.Data.Seeding;
using Npgsql;

namespace HostedPbx.Admin;

/// <summary>
/// The one owner of schema changes and the demo seed: <c>migrate</c> and <c>seed-demo</c>, each given the owner's
/// connection string. Errors are one sentence and a non-zero exit code.
/// </summary>
internal static class AdminCommands
{
    private const string Usage = "usage: HostedPbx.Admin migrate --connection CS"
        + " | ensure-ca --connection CS --master-key-file F --out DIR [--hosts 127.0.0.1,localhost]"
        + " | seed-demo --connection CS --master-key-file F --out DIR"
        + " | issue-node-cert --connection CS --master-key-file F --name NODE --address IP[,IP] --out DIR"
        + " | verify-recordings --connection CS --master-key-file F --tenant ID [--recordings DIR]";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken)
    {
        var command = args.Length > 0 ? args[0] : "";
        var connection = Option(args, "--connection");
        if (command is not ("migrate" or "seed-demo" or "ensure-ca" or "verify-recordings" or "issue-node-cert") || connection is null)
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        try
        {
            return command switch
            {
                "migrate" => await MigrateAsync(connection, output, cancellationToken),
                "ensure-ca" => await EnsureCaAsync(connection, args, output, error, time, cancellationToken),
                "verify-recordings" => await VerifyRecordingsAsync(connection, args, output, error, cancellationToken),
                "issue-node-cert" => await IssueNodeCertificateAsync(connection, args, output, error, time, cancellationToken),
                _ => await SeedDemoAsync(connection, args, output, error, time, cancellationToken),
            };
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync($"admin: the connection string is malformed ({e.Message}).");
            return 2;
        }
        catch (Data.Hosting.StartupCheckException e)
        {
            await error.WriteLineAsync($"admin: {e.Message}");
            return 2;
        }
        catch (NpgsqlException e)
        {
            // Each migration and the seed run in a transaction: what failed was rolled back whole.
            await error.WriteLineAsync($"admin: {command} failed and its transaction was rolled back: {e.Message.Trim()}");
            return 1;
        }
    }

    private static async Task<int> MigrateAsync(string connection, TextWriter output, CancellationToken cancellationToken)
    {
        var applied = await DatabaseMigrator.MigrateAsync(connection, cancellationToken);
        await output.WriteLineAsync(applied.Count == 0
            ? "admin: the schema is up to date"
            : $"admin: applied {applied.Count} migration(s): {string.Join(", ", applied)}");
        return 0;
    }

    private static async Task<int> EnsureCaAsync(string connection, string[] args, TextWriter output, TextWriter error,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var (keyFile, outDir) = (Option(args, "--master-key-file"), Option(args, "--out"));
        if (keyFile is null || outDir is null)
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        var hosts = (Option(args, "--hosts") ?? "127.0.0.1,localhost").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        using var platform = new PlatformCommands(connection, keyFile, time);
        await output.WriteLineAsync(await platform.EnsureCaAsync(outDir, hosts, cancellationToken));
        return 0;
    }

    private static async Task<int> SeedDemoAsync(string connection, string[] args, TextWriter output, TextWriter error,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var (keyFile, outDir) = (Option(args, "--master-key-file"), Option(args, "--out"));
        if (outDir is null || keyFile is null)
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        await using var dataSource = new NpgsqlDataSourceBuilder(connection).Build();
        await using var db = new PbxDbContext(DataServices.CreateOptions(dataSource));
        var credentials = await DemoSeeder.SeedAsync(db, time, cancellationToken);
        var file = Path.Combine(outDir, "credentials.txt");
        Directory.CreateDirectory(outDir);
        if (credentials is null)
        {
            await output.WriteLineAsync("admin: the database already holds data; the demo is not seeded again");
            if (!File.Exists(file))
            {
                await File.WriteAllTextAsync(file, "Credentials were shown when the demo was first seeded (./pbx db reset starts over).\n", cancellationToken);
            }
        }
        else
        {
            await File.WriteAllTextAsync(file, credentials.ToText(), cancellationToken);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            await output.WriteLineAsync($"admin: seeded the demo (tenant {DemoSeeder.TenantName}); credentials in {file}");
        }

        // Handsets whose certificate file is missing get one (again); the files are what the demo handsets use.
        using var platform = new PlatformCommands(connection, keyFile, time);
        await platform.IssueDemoHandsetsAsync(Path.Combine(outDir, "devices"), cancellationToken);
        return 0;
    }

    private static async Task<int> VerifyRecordingsAsync(string connection, string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var (keyFile, tenant) = (Option(args, "--master-key-file"), Option(args, "--tenant"));
        if (keyFile is null || !Guid.TryParse(tenant, out var tenantId))
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        // The folder the parts use by default: .data/recordings, or HostedPbx__DataDirectory's.
        var recordings = Option(args, "--recordings")
            ?? new Data.Recordings.RecordingOptions().Resolve(Environment.GetEnvironmentVariable("HostedPbx__DataDirectory"));
        return await RecordingCommands.VerifyAsync(connection, tenantId, keyFile, recordings, output, cancellationToken);
    }

    private static async Task<int> IssueNodeCertificateAsync(string connection, string[] args, TextWriter output, TextWriter error,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var (keyFile, name, addresses, outDir) = (Option(args, "--master-key-file"), Option(args, "--name"), Option(args, "--address"), Option(args, "--out"));
        // Issue 14: a missing --name, --address or --out is refused by the command itself, which audits the refusal.
        if (keyFile is null)
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        return await NodeCertificateCommand.RunAsync(connection, keyFile, name, addresses, outDir, output, error, time, cancellationToken);
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
