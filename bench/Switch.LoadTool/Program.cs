using HostedPbx.Switch.LoadTool;

var options = LoadOptions.Parse(args, out var error);
if (options is null)
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

// Bounded: seeding, registering, the calls and the media phase each have their own limits; this is the backstop.
using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(30) + options.Media);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

var report = new LoadReport();
int code;
try
{
    code = await new LoadRun(options, report).RunAsync(stop.Token);
}
catch (Npgsql.NpgsqlException ex)
{
    Console.Error.WriteLine($"The database of --db is not reachable or refused the seed: {ex.Message} (HOSTEDPBX_TEST_PG_PORT=<port> ./pbx test-db starts one).");
    return 1;
}

report.Print(Console.Out, $"HostedPbx switch load: {options.Handsets} handsets, {options.Calls} calls, {options.Media.TotalSeconds:F0} s of media, {Environment.ProcessorCount} cores");
return code;
