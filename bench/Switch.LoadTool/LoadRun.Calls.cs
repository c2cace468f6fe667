using System.Diagnostics;
using HostedPbx.Switch.LoadTool.Measuring;
using HostedPbx.Switch.LoadTool.Media;
using HostedPbx.Switch.LoadTool.Sip;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Media.Srtp;
using HostedPbx.Switch.Sip.Messages;

namespace HostedPbx.Switch.LoadTool;

internal sealed partial class LoadRun
{
    private static readonly byte[] s_tone = MuLaw.ToneFrame();

    private async Task RunCallsAsync(CancellationToken cancellationToken)
    {
        if (_handsets.Count < 2 * options.Calls)
        {
            report.Add("calls", $"skipped: only {_handsets.Count} handsets registered");
            return;
        }

        // Idle baseline: everything registered, no calls; what the switch spends anyway (timers, directory reloads).
        await WaitQuietAsync(TimeSpan.FromSeconds(10), cancellationToken);
        var idleAllocationsStart = await ReadAllocationsAsync(cancellationToken);
        var idleStart = ProcessSample.Read(_switch!.Pid);
        await Task.Delay(options.Baseline, cancellationToken);
        var idleEnd = ProcessSample.Read(_switch.Pid);
        var idleAllocations = await ReadAllocationsAsync(cancellationToken) - idleAllocationsStart;
        var idleRate = (idleEnd.Cpu - idleStart.Cpu) / idleEnd.Elapsed(idleStart);

        var transit = new TransitHistogram();
        var calls = new List<LoadCall>(options.Calls);
        for (var i = 0; i < options.Calls; i++)
        {
            calls.Add(new LoadCall(_handsets[2 * i], _handsets[(2 * i) + 1], new MediaEndpoint(s_tone, options.Suite) { Transit = transit }));
        }

        var placing = Stopwatch.StartNew();
        var setupCpuStart = ProcessSample.Read(_switch.Pid);
        await Parallel.ForEachAsync(calls, new ParallelOptions { MaxDegreeOfParallelism = options.CallParallel, CancellationToken = cancellationToken },
            async (call, ct) => await PlaceAsync(call, ct));
        var setupCpuEnd = ProcessSample.Read(_switch.Pid);
        var placed = placing.Elapsed;
        var established = calls.Where(c => c.Established).ToList();
        var setupTimes = established.Select(c => c.SetupMs).ToList();
        report.Add("calls established", $"{established.Count} of {calls.Count} in {placed.TotalSeconds:F1} s ({options.CallParallel} INVITEs in flight); statuses: {string.Join(", ", calls.GroupBy(c => c.Status).Select(g => $"{g.Key}×{g.Count()}"))}");
        report.Add("call set-up (INVITE → 200)", $"median {Percentiles.Of(setupTimes, 50):F1} ms, p95 {Percentiles.Of(setupTimes, 95):F1} ms, max {Percentiles.Of(setupTimes, 100):F1} ms");
        report.Add("switch CPU per call set-up", $"{(setupCpuEnd.Cpu - setupCpuStart.Cpu).TotalMilliseconds / Math.Max(1, established.Count):F2} ms");

        var endpoints = established.SelectMany(c => new[] { c.CallerMedia, c.CalleeMedia! }).ToList();
        using var receiver = new MediaReceiver(endpoints, options.ReceiveThreads, options.ReceiveGather);
        var pacer = new MediaPacer(endpoints, options.PacerThreads);
        // The pacer runs through a warm-up (the switch's relay loops reach their optimised code, buffers settle) and
        // then the measured window; CPU and counters are read at the window's edges.
        var pacing = Task.Run(() => pacer.Run(options.Warmup + options.Media), cancellationToken);
        await Task.Delay(options.Warmup, cancellationToken);
        var switchAllocationsStart = await ReadAllocationsAsync(cancellationToken);
        transit.Start();
        var switchStart = ProcessSample.Read(_switch.Pid);
        var toolStart = ProcessSample.Read(Environment.ProcessId);
        var receivedStart = endpoints.Sum(e => e.Received);
        var sentStart = endpoints.Sum(e => e.Sent);
        var gcStart = GC.CollectionCount(0);
        var allocatedStart = GC.GetTotalAllocatedBytes(precise: true);
        await Task.Delay(options.Media, cancellationToken);
        var switchEnd = ProcessSample.Read(_switch.Pid);
        var toolEnd = ProcessSample.Read(Environment.ProcessId);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedStart;
        var sentInWindow = endpoints.Sum(e => e.Sent) - sentStart;
        var receivedInWindow = endpoints.Sum(e => e.Received) - receivedStart;
        transit.Stop();
        var switchAllocations = await ReadAllocationsAsync(cancellationToken) - switchAllocationsStart;
        var late = await pacing;
        // Let what is in flight arrive before counting loss over the whole media phase.
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        var received = endpoints.Sum(e => e.Received);
        var sent = endpoints.Sum(e => e.Sent);
        var wall = switchEnd.Elapsed(switchStart);
        var switchCpu = switchEnd.Cpu - switchStart.Cpu;
        var toolCpu = toolEnd.Cpu - toolStart.Cpu;
        var netCpu = switchCpu - (idleRate * wall);
        var jitters = endpoints.Where(e => e.Received > 1).Select(e => e.JitterMs).ToList();
        report.Add("media", $"{established.Count} calls × 2 directions × 50 pps for {(options.Warmup + options.Media).TotalSeconds:F0} s ({options.Warmup.TotalSeconds:F0} s warm-up, {wall.TotalSeconds:F1} s measured): {sent} SRTP packets sent, {received} received and authenticated, {endpoints.Sum(e => e.AuthFailures)} failed authentication, {endpoints.Sum(e => e.SendErrors)} send errors, {late} late pacer ticks");
        // Loss alone hides a sender that fell behind: the pacer catches up late rather than drop, so say how close to real time it kept.
        var due = endpoints.Count * 50.0 * wall.TotalSeconds;
        var ticks = pacer.Ticks(options.Warmup + options.Media);
        report.Add("real time", $"in the measured window {sentInWindow} packets were sent and {receivedInWindow} relayed of the {due:F0} that 50 pps per stream asks: {receivedInWindow / due:P1}{(RealTime.Held(receivedInWindow, due, late, ticks) ? "" : $" — NOT real time: the two cores could not keep up (the pacer was over a frame late on {late} of {ticks} ticks and sends what it owes in bursts, so the share reads under 100 % while behind and over it while catching up)")}");
        report.Add("packet loss", $"{Ratio(sent - received, sent)} ({sent - received} packets; sequence gaps {endpoints.Sum(e => Math.Max(0, e.GapLoss))}; calls with any loss: {established.Count(c => c.CallerMedia.Sent > c.CalleeMedia!.Received || c.CalleeMedia.Sent > c.CallerMedia.Received)})");
        report.Add("jitter (RFC 3550)", $"median {Percentiles.Of(jitters, 50):F2} ms, p95 {Percentiles.Of(jitters, 95):F2} ms, max {Percentiles.Of(jitters, 100):F2} ms over {jitters.Count} streams");
        report.Add("switch CPU, media phase", $"{switchCpu.TotalSeconds:F2} s over {wall.TotalSeconds:F1} s = {switchCpu / wall:P0} of one core ({(switchEnd.KernelCpu - switchStart.KernelCpu) / switchCpu:P0} of it in the kernel); idle baseline {idleRate:P1} of a core (measured {options.Baseline.TotalSeconds:F0} s)");
        report.Add("switch CPU per relayed packet", $"{netCpu.TotalMicroseconds / Math.Max(1, receivedInWindow):F2} µs (baseline subtracted; {switchCpu.TotalMicroseconds / Math.Max(1, receivedInWindow):F2} µs without; {receivedInWindow} packets relayed in the measured window)");
        report.Add("tool CPU, media phase", $"{toolCpu.TotalSeconds:F2} s = {toolCpu / wall:P0} of one core ({(toolEnd.KernelCpu - toolStart.KernelCpu) / toolCpu:P0} in the kernel), {toolCpu.TotalMicroseconds / Math.Max(1, sentInWindow + receivedInWindow):F2} µs per packet sent or received (it shares the 2 cores with the switch); {allocated / (double)Math.Max(1, sentInWindow + receivedInWindow):F2} B allocated per packet, {GC.CollectionCount(0) - gcStart} gen-0 GCs");
        report.Add("transit through the switch", $"median {transit.PercentileMs(50):F2} ms, p99 {transit.PercentileMs(99):F2} ms, p99.9 {transit.PercentileMs(99.9):F2} ms over {transit.Count} packets of the measured window: from the sender's stamp to the receive round that read the packet (10 µs buckets, upper edges), so the tool's own receive gather ({options.ReceiveGather.TotalMicroseconds:F0} µs) is in it");
        if (switchAllocations is { } media && idleAllocations is { } idle)
        {
            // Each window holds one scrape of /metrics; with windows of one length the idle one takes it out again.
            var idleBytes = idle.AllocatedBytes * (wall / idleEnd.Elapsed(idleStart));
            report.Add("switch allocations, media phase", $"{media.AllocatedBytes:N0} B over the measured window ({media.AllocatedBytes / (double)Math.Max(1, receivedInWindow):F2} B per relayed packet); less what the idle switch allocated in a window of {options.Baseline.TotalSeconds:F0} s ({idle.AllocatedBytes:N0} B, scaled to this one): {(media.AllocatedBytes - idleBytes) / Math.Max(1, receivedInWindow):F2} B per relayed packet; {media.Gen0Collections} gen-0 GCs in the window (whole process, the runtime's meter)");
        }
        else
        {
            report.Add("switch allocations, media phase", "not read: the switch's /metrics did not answer with the runtime's allocation counters");
        }

        report.Add("switch/tool CPU ratio", $"{switchCpu / Math.Max(0.001, toolCpu.TotalSeconds) / TimeSpan.FromSeconds(1):F2}");

        await HangUpAsync(established, cancellationToken);
        foreach (var call in calls)
        {
            call.CallerMedia.Dispose();
            call.CalleeMedia?.Dispose();
        }
    }

    private async Task<ManagedAllocations?> ReadAllocationsAsync(CancellationToken cancellationToken) =>
        _switch!.Metrics is { } metrics ? await ManagedAllocations.ReadAsync(metrics, cancellationToken) : null;

    private async Task PlaceAsync(LoadCall call, CancellationToken cancellationToken)
    {
        call.Callee.OnInvite = (_, invite) => Answer(call, invite, options.Suite);
        var offer = SdesOfferAnswer.CreateOffer(call.CallerMedia.Local());
        var requestUri = $"sip:{call.Callee.Identity.Number}@{Sip.Address}:{Sip.Port}";
        var from = $"<{call.Caller.Aor}>;tag={call.FromTag}";
        var to = $"<sip:{call.Callee.Identity.Number}@{Sip.Address}>";
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeSpan.FromSeconds(30));
            var reply = await call.Caller.SendRequestAsync("INVITE", requestUri, from, to, call.CallId, 1, call.Caller.Contact, SdpWriter.WriteUtf8(offer.Offer), limit.Token);
            call.SetupMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            call.Status = reply.StatusCode;
            if (reply.StatusCode != 200)
            {
                return;
            }

            call.ToTag = reply.ToTag;
            call.RemoteTarget = reply.Contact ?? requestUri;
            // RFC 3261 §13.2.2.4: the 2xx is acknowledged end to end, with the INVITE's CSeq number.
            await call.Caller.SendRawAsync(
                SipText.Request("ACK", call.RemoteTarget, call.Caller.SentBy, from, $"{to};tag={call.ToTag}", call.CallId, 1, null), cancellationToken);
            if (SdpReader.TryRead(reply.Body, out var answer, out _) && SdesOfferAnswer.AcceptAnswer(offer, answer) is { IsAcceptable: true } accepted)
            {
                call.CallerMedia.Start(accepted.Media);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            call.Status = -1;
        }
    }

    private static byte[]? Answer(LoadCall call, SipRequest invite, SrtpSuite suite)
    {
        if (!SdpReader.TryRead(invite.Body, out var offer, out _))
        {
            return null;
        }

        var endpoint = new MediaEndpoint(s_tone, suite) { Transit = call.CallerMedia.Transit };
        var answer = SdesOfferAnswer.Answer(offer, endpoint.Local());
        if (!answer.IsAcceptable)
        {
            endpoint.Dispose();
            return null;
        }

        endpoint.Start(answer.Media);
        call.CalleeMedia = endpoint;
        return SdpWriter.WriteUtf8(answer.Answer!);
    }

    private async Task HangUpAsync(List<LoadCall> calls, CancellationToken cancellationToken)
    {
        var endedBefore = _switch!.CallsEnded;
        var packetsBefore = _switch.PacketsLogged;
        var byeOk = 0;
        await Parallel.ForEachAsync(calls, new ParallelOptions { MaxDegreeOfParallelism = options.CallParallel, CancellationToken = cancellationToken }, async (call, ct) =>
        {
            try
            {
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
                limit.CancelAfter(TimeSpan.FromSeconds(30));
                var from = $"<{call.Caller.Aor}>;tag={call.FromTag}";
                var to = $"<sip:{call.Callee.Identity.Number}@{Sip.Address}>;tag={call.ToTag}";
                var reply = await call.Caller.SendRequestAsync("BYE", call.RemoteTarget!, from, to, call.CallId, 2, null, cancellationToken: limit.Token);
                if (reply.StatusCode == 200)
                {
                    Interlocked.Increment(ref byeOk);
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException)
            {
            }
        });

        // The switch logs each call's relayed-packet count as it ends it.
        var started = Stopwatch.GetTimestamp();
        while (_switch.CallsEnded - endedBefore < calls.Count && Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(200, cancellationToken);
        }

        report.Add("hang-up", $"{byeOk} of {calls.Count} BYEs answered 200; the switch logged {_switch.CallsEnded - endedBefore} calls ended with {_switch.PacketsLogged - packetsBefore} packets relayed in all (its own counter, whole calls)");
    }

    private static string Ratio(long part, long whole) => whole == 0 ? "n/a" : $"{100.0 * part / whole:F3} %";
}
