using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Recordings;
using HostedPbx.Switch.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HostedPbx.Switch.Calls.Recording;

/// <summary>
/// The switch's recording side: at start it opens the signing key and seals what a stop left open, then writes rows as
/// recordings start and end. Without a master key (Keys:MasterKey or Keys:MasterKeyFile) there is no
/// <see cref="Recorder"/> and calls are not recorded (a warning says so), since audio at rest must be encrypted.
/// </summary>
internal sealed class RecordingService(
    IOptions<SwitchOptions> switchOptions,
    IOptions<RecordingOptions> recordingOptions,
    IConfiguration configuration,
    IServiceProvider services,
    IDbContextFactory<PbxDbContext> contexts,
    Npgsql.NpgsqlDataSource dataSource,
    TimeProvider time,
    ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger("HostedPbx.Switch.Recording");
    private KeyProtector? _ownProtector;
    private RecordingStore? _store;

    public CallRecorder? Recorder { get; private set; }

    /// <summary>The policies changed (the directory reloaded): read them again, keeping the old ones on failure.</summary>
    public async Task ReloadPoliciesAsync(CancellationToken cancellationToken)
    {
        if (Recorder is { } recorder)
        {
            try
            {
                recorder.Policies = await RecordingPolicyBook.LoadAsync(contexts, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                SwitchLog.RecordingPoliciesFailed(_logger, ex);
            }
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var protector = services.GetService<KeyProtector>() ?? OwnProtector();
        if (protector is null)
        {
            SwitchLog.RecordingDisabled(_logger);
            await base.StartAsync(cancellationToken);
            return;
        }

        var directory = recordingOptions.Value.Resolve(configuration["HostedPbx:DataDirectory"]);
        _store = new RecordingStore(contexts, protector, directory, switchOptions.Value.NodeName, time, _logger);
        await _store.StartAsync(cancellationToken);
        Recorder = new CallRecorder(protector, directory, _store, time, _logger)
        {
            Policies = await RecordingPolicyBook.LoadAsync(contexts, cancellationToken),
        };
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        Recorder?.Dispose();
        _ownProtector?.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_store is null || Recorder is null)
        {
            return;
        }

        try
        {
            await Task.WhenAll(_store.RunAsync(stoppingToken), new RecordingControlListener(dataSource, Recorder, time, _logger).RunAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Until the switch registers the master key for itself, it is read here when configured.</summary>
    private KeyProtector? OwnProtector()
    {
        var keys = configuration.GetSection(KeyOptions.SectionName).Get<KeyOptions>();
        if (keys is null || (string.IsNullOrWhiteSpace(keys.MasterKey) && string.IsNullOrWhiteSpace(keys.MasterKeyFile)))
        {
            return null;
        }

        return _ownProtector = keys.CreateProtector();
    }
}
