using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace HostedPbx.Provisioning.Features.Handsets;

/// <summary>
/// Limits how many refused provisioning requests from one source address are audited one by one in a minute. The
/// rest are counted, not dropped: the count of a finished minute is handed to the next refusal from that address to
/// audit as one event. Fixed one-minute windows per address; the table forgets addresses idle for a minute.
/// </summary>
public sealed class RefusalAuditLimiter(IOptions<ProvisioningOptions> options, TimeProvider time)
{
    private static readonly TimeSpan s_window = TimeSpan.FromMinutes(1);
    private const int MaxAddresses = 10_000;
    private readonly ConcurrentDictionary<IPAddress, Window> _windows = new();

    /// <summary>Whether to audit this refusal, and how many refusals of this address's previous minute went unaudited.</summary>
    public Admission Admit(IPAddress? source)
    {
        var now = time.GetUtcNow();
        var key = source ?? IPAddress.None;
        if (_windows.Count > MaxAddresses)
        {
            foreach (var stale in _windows.Where(w => now - w.Value.Start >= s_window).Select(w => w.Key).ToList())
            {
                _windows.TryRemove(stale, out _);
            }
        }

        var window = _windows.GetOrAdd(key, _ => new Window(now));
        lock (window)
        {
            var carried = 0;
            if (now - window.Start >= s_window)
            {
                carried = window.Suppressed;
                window.Start = now;
                window.Audited = 0;
                window.Suppressed = 0;
            }

            if (window.Audited < options.Value.RefusalAuditsPerMinute)
            {
                window.Audited++;
                return new Admission(true, carried);
            }

            window.Suppressed++;
            return new Admission(false, carried);
        }
    }

    public readonly record struct Admission(bool Audit, int Unaudited);

    private sealed class Window(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; set; } = start;
        public int Audited { get; set; }
        public int Suppressed { get; set; }
    }
}
