using System.Diagnostics;
using System.Net;
using HostedPbx.Switch.LoadTool.Measuring;
using HostedPbx.Switch.LoadTool.Setup;
using HostedPbx.Switch.LoadTool.Sip;

namespace HostedPbx.Switch.LoadTool;

internal sealed partial class LoadRun
{
    private const int RegisterExpires = 3600;

    private async Task RegisterAllAsync(IReadOnlyList<LoadHandset> identities, LoadSeeder seeder, CancellationToken cancellationToken)
    {
        // The last identity is baresip's when the interop check runs.
        var count = options.Baresip ? identities.Count - 1 : identities.Count;
        var gcBefore = await SettleAsync(cancellationToken);
        var before = ProcessSample.Read(_switch!.Pid);
        var managedBefore = await ReadManagedAsync(cancellationToken);
        var toolBefore = ProcessSample.Read(Environment.ProcessId);
        var failures = 0;
        var timer = Stopwatch.StartNew();
        var registered = new SipHandset?[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = options.ConnectParallel, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            (registered[i], var failure) = await ConnectAndRegisterAsync(identities[i], null, seeder, ct);
            if (failure is not null && Interlocked.Increment(ref failures) <= 3)
            {
                Console.Error.WriteLine($"handset {identities[i].Number}: {failure}");
            }
        });
        var elapsed = timer.Elapsed;
        _handsets.AddRange(registered.OfType<SipHandset>());
        var registerCpu = ProcessSample.Read(_switch.Pid);
        var gcAfter = await SettleAsync(cancellationToken);
        var after = ProcessSample.Read(_switch.Pid);
        var managedAfter = await ReadManagedAsync(cancellationToken);
        var toolAfter = ProcessSample.Read(Environment.ProcessId);
        var ok = _handsets.Count;
        report.Add("registered", $"{ok} of {count} handsets over their own mutual-TLS connections in {elapsed.TotalSeconds:F1} s ({ok / elapsed.TotalSeconds:F0}/s, {options.ConnectParallel} handshakes in flight), {failures} failed");
        report.Add("switch CPU per registration", $"{(registerCpu.Cpu - before.Cpu).TotalMilliseconds / Math.Max(1, ok):F2} ms (TLS handshake with client-certificate check + REGISTER)");
        report.Add("switch RSS", $"{Mib(before.RssBytes)} before, {Mib(after.RssBytes)} after {ok} registrations{(gcBefore && gcAfter ? " (each read after an induced full GC)" : " (no GC could be induced: includes GC slack)")}");
        report.Add("switch memory per registered handset", $"{(after.RssBytes - before.RssBytes) / (double)Math.Max(1, ok) / 1024:F1} KiB");
        if (managedBefore is { } m0 && managedAfter is { } m1)
        {
            // What RSS grew by beyond what the GC committed is native: OpenSSL's state, sockets, malloc's own overhead.
            double PerHandset(long bytes) => bytes / (double)Math.Max(1, ok) / 1024;
            var committed = m1.CommittedBytes - m0.CommittedBytes;
            report.Add("switch managed heap", $"{Mib(m0.HeapBytes)} before, {Mib(m1.HeapBytes)} after: {PerHandset(m1.HeapBytes - m0.HeapBytes):F1} KiB per handset of live objects");
            report.Add("switch GC committed", $"{Mib(m0.CommittedBytes)} before, {Mib(m1.CommittedBytes)} after: {PerHandset(committed):F1} KiB per handset; the rest of RSS, {PerHandset(after.RssBytes - before.RssBytes - committed):F1} KiB per handset, is native");
        }

        report.Add("tool RSS", $"{Mib(toolBefore.RssBytes)} before, {Mib(toolAfter.RssBytes)} after (its own {ok} TLS clients)");
    }

    /// <summary>One handset's TLS connection and REGISTER within 30 s: the registered handset, or why not.</summary>
    private async Task<(SipHandset? Handset, string? Failure)> ConnectAndRegisterAsync(LoadHandset identity, IPAddress? source, LoadSeeder seeder, CancellationToken cancellationToken)
    {
        var handset = new SipHandset(identity, Sip, source);
        string failure;
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeSpan.FromSeconds(30));
            await handset.ConnectAsync(options.Target is null ? seeder.Root.Certificate : null, limit.Token);
            var status = await handset.RegisterAsync(RegisterExpires, limit.Token);
            if (status == 200)
            {
                return (handset, null);
            }

            failure = $"REGISTER answered {status}";
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            failure = $"{ex.GetType().Name}: {ex.Message}";
        }

        await handset.DisposeAsync();
        return (null, failure);
    }

    private async Task<ManagedMemory?> ReadManagedAsync(CancellationToken cancellationToken) =>
        _switch!.Metrics is { } metrics ? await ManagedMemory.ReadAsync(metrics, cancellationToken) : null;

    /// <summary>Lets the switch finish its work (database writes of bindings, logs), then induces a full GC in it.</summary>
    private async Task<bool> SettleAsync(CancellationToken cancellationToken)
    {
        await WaitQuietAsync(TimeSpan.FromSeconds(30), cancellationToken);
        var collected = await GcTrigger.CollectAsync(_switch!.Pid, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        return collected;
    }

    /// <summary>Waits until the switch used under 5% of a core over half a second, or the limit passes.</summary>
    private async Task WaitQuietAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var previous = ProcessSample.Read(_switch!.Pid);
        while (Stopwatch.GetElapsedTime(started) < limit)
        {
            await Task.Delay(500, cancellationToken);
            var now = ProcessSample.Read(_switch.Pid);
            if ((now.Cpu - previous.Cpu) / now.Elapsed(previous) < 0.05)
            {
                return;
            }

            previous = now;
        }
    }

    private static string Mib(long bytes) => $"{bytes / 1048576.0:F1} MiB";
}
