using System.Diagnostics;
using System.Net;
using HostedPbx.Switch.LoadTool.Measuring;
using HostedPbx.Switch.LoadTool.Setup;
using HostedPbx.Switch.LoadTool.Sip;

namespace HostedPbx.Switch.LoadTool;

internal sealed partial class LoadRun
{
    // How long the handsets keep coming back after the restart before the run stops waiting for the rest.
    private static readonly TimeSpan s_stormLimit = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Restarts the switch under its registered handsets and times their return (issue 13's reconnect storm). Every
    /// handset reconnects once the new process is healthy, <see cref="LoadOptions.StormParallel"/> handshakes at a time,
    /// each from a loopback address of its own (real handsets each have one, and the switch caps handshakes per
    /// address); one whose attempt fails tries again a second later, until the limit. A handset's TLS session from before
    /// the restart cannot be resumed: the new process has a new ticket key, so each of these is a full handshake.
    /// </summary>
    private async Task RunRestartStormAsync(LoadSeeder seeder, CancellationToken cancellationToken)
    {
        var returning = _handsets.Select(handset => handset.Identity).ToArray();
        var stopping = Stopwatch.StartNew();
        await _switch!.RestartAsync(cancellationToken);
        var restarted = stopping.Elapsed;
        // Their connections ended with the old process.
        await CloseAllAsync();
        var before = ProcessSample.Read(_switch.Pid);
        var attempts = 0;
        var failures = 0;
        var back = new SipHandset?[returning.Length];
        var timer = Stopwatch.StartNew();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(s_stormLimit);
        try
        {
            await Parallel.ForAsync(0, returning.Length, new ParallelOptions { MaxDegreeOfParallelism = options.StormParallel, CancellationToken = limit.Token }, async (i, ct) =>
            {
                while (true)
                {
                    Interlocked.Increment(ref attempts);
                    (back[i], var failure) = await ConnectAndRegisterAsync(returning[i], SourceAddress(i), seeder, ct);
                    if (failure is null)
                    {
                        return;
                    }

                    if (Interlocked.Increment(ref failures) <= 3)
                    {
                        Console.Error.WriteLine($"handset {returning[i].Number} after the restart: {failure}");
                    }

                    await Task.Delay(TimeSpan.FromSeconds(1), ct);
                }
            });
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The storm limit passed; what came back is reported.
        }

        var elapsed = timer.Elapsed;
        var after = ProcessSample.Read(_switch.Pid);
        _handsets.AddRange(back.OfType<SipHandset>());
        var ok = _handsets.Count;
        report.Add("restart", $"the switch stopped (SIGTERM) and was healthy again in {restarted.TotalSeconds:F1} s (pid {_switch.Pid})");
        report.Add("reconnect storm", $"{ok} of {returning.Length} handsets reconnected (full TLS handshakes) and registered in {elapsed.TotalSeconds:F1} s after that ({ok / elapsed.TotalSeconds:F0}/s, {options.StormParallel} handshakes in flight, each handset from its own loopback address); {attempts} attempts, {failures} failed");
        report.Add("reconnect storm, all registered", $"{(restarted + elapsed).TotalSeconds:F1} s after the stop");
        report.Add("reconnect storm, switch CPU per re-registration", $"{(after.Cpu - before.Cpu).TotalMilliseconds / Math.Max(1, ok):F2} ms ({(after.Cpu - before.Cpu) / elapsed:P0} of a core)");
    }

    /// <summary>A loopback address of its own for handset <paramref name="index"/>, from 127.2.0.0 up.</summary>
    private static IPAddress SourceAddress(int index) => new([127, (byte)(2 + (index >> 16)), (byte)(index >> 8), (byte)index]);
}
