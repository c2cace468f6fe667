using System.Diagnostics;
using HostedPbx.Switch.Diagnostics;

namespace HostedPbx.Switch.Calls.Applications;

/// <summary>
/// The switch's prompts: WAV files in a folder a deployment can replace with recorded ones (DESIGN "Recordings and
/// voicemail"). A prompt missing from the folder is spoken by espeak-ng and resampled to 8 kHz 16-bit mono by sox on
/// first use. Applications add their own prompts' texts (<paramref name="texts"/>: name to words).
/// </summary>
internal sealed class PromptLibrary(string directory, ILogger logger, IReadOnlyDictionary<string, string>? texts = null)
{
    public const string NotInService = "not-in-service";

    /// <summary>Played to both parties before a call is bridged where its recording policy asks (issue 10 item 1).</summary>
    public const string RecordingNotice = "recording-notice";

    private static readonly Dictionary<string, string> s_texts = new(StringComparer.Ordinal)
    {
        [NotInService] = "The number you dialled is not in service. Please check the number and try again.",
        [RecordingNotice] = "This call may be recorded.",
    };

    private readonly Dictionary<string, Prompt> _loaded = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public string Directory { get; } = directory;

    /// <summary>Makes every missing prompt, then loads them all; a prompt that cannot be made or read is left out and logged.</summary>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        foreach (var (name, text) in s_texts.Concat(texts ?? new Dictionary<string, string>()))
        {
            var path = Path.Combine(Directory, name + ".wav");
            try
            {
                System.IO.Directory.CreateDirectory(Directory);
                if (!File.Exists(path))
                {
                    await SpeakAsync(text, path, cancellationToken);
                }

                if (Prompt.TryRead(name, await File.ReadAllBytesAsync(path, cancellationToken), out var prompt, out var problem))
                {
                    lock (_gate)
                    {
                        _loaded[name] = prompt;
                    }
                }
                else
                {
                    SwitchLog.PromptUnusable(logger, path, problem);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                SwitchLog.PromptUnusable(logger, path, ex.Message);
            }
        }
    }

    public bool TryGet(string name, out Prompt prompt)
    {
        lock (_gate)
        {
            return _loaded.TryGetValue(name, out prompt!);
        }
    }

    private async Task SpeakAsync(string text, string path, CancellationToken cancellationToken)
    {
        var spoken = Path.Combine(Directory, $".{Guid.NewGuid():N}.wav");
        var resampled = Path.Combine(Directory, $".{Guid.NewGuid():N}.8k.wav");
        try
        {
            await RunAsync("espeak-ng", ["-w", spoken, text], cancellationToken);
            await RunAsync("sox", [spoken, "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", resampled], cancellationToken);

            // Into place in one step, so a half-written prompt is never read.
            File.Move(resampled, path, overwrite: false);
        }
        finally
        {
            File.Delete(spoken);
            File.Delete(resampled);
        }
    }

    private static async Task RunAsync(string tool, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} exited with {process.ExitCode}: {(await errors).Trim()}");
        }
    }
}
