using HostedPbx.Switch.Diagnostics;

namespace HostedPbx.Switch.Sip.Transport;

/// <summary>
/// Holds the current <see cref="DeviceDirectory"/> and reloads it on a short interval, so the handshake callback never waits
/// on the database. A failed reload keeps the previous snapshot.
/// </summary>
internal sealed class DeviceDirectoryCache(DeviceDirectoryLoader loader, TimeProvider time, TimeSpan interval, ILogger logger)
{
    private DeviceDirectory _current = DeviceDirectory.Empty;

    public DeviceDirectory Current => Volatile.Read(ref _current);

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var next = await loader.LoadAsync(cancellationToken);
        Volatile.Write(ref _current, next);
        SwitchLog.DirectoryLoaded(logger, next.Anchors.Count);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                await RefreshAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                SwitchLog.DirectoryLoadFailed(logger, ex);
            }
        }
    }
}
