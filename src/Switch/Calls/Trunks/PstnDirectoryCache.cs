using HostedPbx.Switch.Diagnostics;

namespace HostedPbx.Switch.Calls.Trunks;

/// <summary>
/// The current <see cref="PstnDirectory"/>, read again whenever the device directory is (on its change notices and its
/// periodic refresh), so a new route, a changed guard or a lifted suspension reaches calls within the same bound.
/// </summary>
internal sealed class PstnDirectoryCache(Func<CancellationToken, Task<PstnDirectory>> load, ILogger logger)
{
    private PstnDirectory _current = PstnDirectory.Empty;
    private Action<PstnDirectory>? _swapped;

    public PstnDirectory Current => Volatile.Read(ref _current);

    /// <summary>Hears of each new snapshot (the identity gate re-checks open carrier connections against its peers).</summary>
    public void OnSwapped(Action<PstnDirectory> swapped) => _swapped += swapped;

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            var loaded = await load(cancellationToken);
            Volatile.Write(ref _current, loaded);
            _swapped?.Invoke(loaded);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Npgsql.NpgsqlException or TimeoutException)
        {
            // The last snapshot stays: routes and guards as they were are better than none.
            SwitchLog.PstnDirectoryNotLoaded(logger, ex);
        }
    }
}
