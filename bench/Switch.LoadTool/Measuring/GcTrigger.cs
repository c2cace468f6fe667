using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;

namespace HostedPbx.Switch.LoadTool.Measuring;

/// <summary>
/// Makes another .NET process run a full blocking GC through its diagnostics port: an EventPipe session that enables the
/// runtime provider's GCHeapCollect keyword induces one (what dotnet-gcdump does), so RSS is read without garbage.
/// </summary>
internal static class GcTrigger
{
    private const long GcKeyword = 0x1;
    private const long GcHeapCollectKeyword = 0x800000;

    /// <summary>True when the session could be opened (the GC was requested); false when the process has no diagnostics port.</summary>
    public static async Task<bool> CollectAsync(int pid, CancellationToken cancellationToken)
    {
        try
        {
            var client = new DiagnosticsClient(pid);
            var provider = new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, GcKeyword | GcHeapCollectKeyword);
            using var session = await client.StartEventPipeSessionAsync([provider], requestRundown: false, circularBufferMB: 16, cancellationToken);
            // Drain the stream so the runtime is never blocked writing it; the GC runs as the session starts.
            using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            var buffer = new byte[64 * 1024];
            try
            {
                while (await session.EventStream.ReadAsync(buffer, drain.Token) > 0)
                {
                }
            }
            catch (OperationCanceledException)
            {
            }

            await session.StopAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is ServerNotAvailableException or UnsupportedCommandException or ServerErrorException or IOException or TimeoutException)
        {
            return false;
        }
    }
}
