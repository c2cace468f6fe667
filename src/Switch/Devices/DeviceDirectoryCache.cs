using System.Threading.Channels;
using HostedPbx.Switch.Diagnostics;

namespace HostedPbx.Switch.Devices;

/// <summary>
/// Holds the current <see cref="DeviceDirectory"/> so the handshake callback never waits on the database. It reloads when
/// told the configuration changed (<see cref="Invalidate"/>, from PostgreSQL NOTIFY) and, as a safety net for a lost
/// notice, on a longer interval. A burst of changes is coalesced into one reload. A failed reload keeps the previous snapshot.
/// </summary>
internal sealed class DeviceDirectoryCache(Func<CancellationToken, Task<DeviceDirectory>> load, TimeProvider time, TimeSpan interval, ILogger logger)
{
    /// <summary>How long after a change notice the reload waits for the rest of the writer's burst.</summary>
    public static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(50);

    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private DeviceDirectory _current = DeviceDirectory.Empty;
    private Action<DeviceDirectory>? _swapped;

    public DeviceDirectory Current => Volatile.Read(ref _current);

    /// <summary>Asks for a reload soon; many calls before it happens make one reload.</summary>
    public void Invalidate() => _changes.Writer.TryWrite(true);

    /// <summary>
    /// Has <paramref name="listener"/> called with each new snapshot right after it is swapped in (the transport re-checks
    /// its open connections against it). It runs on the reload's task; a failure is logged and the snapshot stays.
    /// </summary>
    public void OnSwapped(Action<DeviceDirectory> listener) => _swapped += listener;

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var next = await load(cancellationToken);
        Volatile.Write(ref _current, next);
        SwitchLog.DirectoryLoaded(logger, next.Anchors.Count);
        try
        {
            _swapped?.Invoke(next);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            SwitchLog.DirectorySweepFailed(logger, ex);
        }
    }

    /// <summary>Reloads on every notice and every interval until stopped; always ends by throwing <see cref="OperationCanceledException"/>.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await WaitForChangeAsync(cancellationToken))
            {
                await Task.Delay(Coalesce, time, cancellationToken);
            }

            _changes.Reader.TryRead(out _);
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

    /// <summary>True when a change was notified, false when the interval ran out first.</summary>
    private async Task<bool> WaitForChangeAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(interval, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await _changes.Reader.WaitToReadAsync(either.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
