using System.Buffers;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using HostedPbx.Data.Media;
using HostedPbx.Switch.Diagnostics;

namespace HostedPbx.Switch.Calls.Voicemail;

/// <summary>
/// Writes one message as it arrives: the receive loop hands each packet's samples over (a copy in a pooled buffer)
/// and a task of its own writes them to the <see cref="SealedAudioWriter"/>, so neither disk nor encryption ever
/// runs on the socket's thread. A write that fails (a full disk) ends the message at its last whole segment.
/// </summary>
internal sealed class MessageRecorder : IAudioSink
{
    /// <summary>Below this peak (about -36 dBFS) a message holds nothing but silence and line noise.</summary>
    private const int SilencePeak = 500;

    private readonly Channel<(byte[] Buffer, int Length)> _chunks = Channel.CreateUnbounded<(byte[], int)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly MessageFile _file;
    private readonly ILogger _logger;
    private readonly SealedAudioWriter _writer;
    private readonly Task _writing;
    private readonly TaskCompletionSource _failure = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _peak;
    private bool _failed;

    public MessageRecorder(MessageFile file, ILogger logger)
    {
        _file = file;
        _logger = logger;
        _writer = SealedAudioWriter.Create(file.Path, file.DataKey, AudioFormat.Mono8k);
        _writing = Task.Run(WriteAsync);
    }

    /// <summary>Completes when a write failed (a full disk): nothing more goes into this message.</summary>
    public Task Failed => _failure.Task;

    /// <summary>True when no sample so far rose above line noise.</summary>
    public bool IsSilent => Volatile.Read(ref _peak) < SilencePeak;

    public void Write(ReadOnlySpan<short> samples)
    {
        var peak = 0;
        foreach (var sample in samples)
        {
            peak = Math.Max(peak, Math.Abs((int)sample));
        }

        if (peak > _peak)
        {
            Volatile.Write(ref _peak, peak);
        }

        var bytes = MemoryMarshal.AsBytes(samples);
        var buffer = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(buffer);
        if (!_chunks.Writer.TryWrite((buffer, bytes.Length)))
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes what is queued, then seals the file; after a failed write, the file is cut at its last whole segment.</summary>
    public async Task<SealedAudioSummary> FinishAsync()
    {
        _chunks.Writer.TryComplete();
        await _writing;
        if (!_failed)
        {
            try
            {
                var summary = _writer.Complete();
                _writer.Dispose();
                return summary;
            }
            catch (IOException ex)
            {
                SwitchLog.MessageWriteFailed(_logger, _file.Id, ex.Message);
            }
        }

        try
        {
            _writer.Dispose();
        }
        catch (IOException)
        {
            // What the file's buffer still held could not be written either; Recover cuts it.
        }

        return SealedAudio.Recover(_file.Path, _file.DataKey);
    }

    private async Task WriteAsync()
    {
        await foreach (var (buffer, length) in _chunks.Reader.ReadAllAsync())
        {
            try
            {
                if (!_failed)
                {
                    // BitConverter.IsLittleEndian on every platform .NET runs on here: the samples are already 16-bit LE PCM.
                    _writer.Write(buffer.AsSpan(0, length));
                }
            }
            catch (IOException ex)
            {
                // A full disk (ENOSPC) ends the message: what is stored up to its last whole segment is kept.
                _failed = true;
                SwitchLog.MessageWriteFailed(_logger, _file.Id, ex.Message);
                _failure.TrySetResult();
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
