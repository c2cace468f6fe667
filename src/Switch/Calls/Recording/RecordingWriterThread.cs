using HostedPbx.Data.Media;
using HostedPbx.Switch.Diagnostics;

namespace HostedPbx.Switch.Calls.Recording;

/// <summary>
/// The one thread that writes every active recording, off the relay's path: every pass it pumps each recording's ring
/// to disk, and finishes the ones whose call ended. A slow disk slows only this thread; the rings overflow into marked
/// gaps and the media never waits.
/// </summary>
internal sealed class RecordingWriterThread : IDisposable
{
    private static readonly TimeSpan s_pass = TimeSpan.FromMilliseconds(100);

    private readonly Lock _gate = new();
    private readonly List<CallRecording> _active = [];
    private readonly HashSet<CallRecording> _alerted = [];
    private readonly ManualResetEventSlim _wake = new();
    private readonly Action<CallRecording, SealedAudioSummary> _completed;
    private readonly Action<CallRecording, Exception> _failed;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private volatile bool _disposed;

    public RecordingWriterThread(Action<CallRecording, SealedAudioSummary> completed, Action<CallRecording, Exception> failed, ILogger logger)
    {
        _completed = completed;
        _failed = failed;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "recording writer" };
        _thread.Start();
    }

    public void Add(CallRecording recording)
    {
        lock (_gate)
        {
            _active.Add(recording);
        }
    }

    /// <summary>Asks for a pass now (a call ended), instead of at the next interval.</summary>
    public void Wake() => _wake.Set();

    public void Dispose()
    {
        // Open recordings stay as they are on disk: the next start seals them at their last whole segment.
        _disposed = true;
        _wake.Set();
        _thread.Join();
        _wake.Dispose();
    }

    private void Run()
    {
        while (!_disposed)
        {
            _wake.Wait(s_pass);
            _wake.Reset();
            if (_disposed)
            {
                break;
            }

            CallRecording[] active;
            lock (_gate)
            {
                active = [.. _active];
            }

            foreach (var recording in active)
            {
                Pass(recording);
            }
        }
    }

    private void Pass(CallRecording recording)
    {
        try
        {
            var final = recording.IsStopping;
            recording.Pump(final);
            if (recording.FellBehind && _alerted.Add(recording))
            {
                SwitchLog.RecordingFellBehind(_logger, recording.Facts.RecordingId);
            }

            if (final)
            {
                Remove(recording);
                _completed(recording, recording.Complete());
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Remove(recording);
            recording.Abandon();
            _failed(recording, ex);
        }
    }

    private void Remove(CallRecording recording)
    {
        lock (_gate)
        {
            _active.Remove(recording);
        }

        _alerted.Remove(recording);
    }
}
