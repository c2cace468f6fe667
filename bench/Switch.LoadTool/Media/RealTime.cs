namespace HostedPbx.Switch.LoadTool.Media;

/// <summary>
/// Whether the media ran in real time. The pacer never drops a frame: when it falls behind it sends what it owes in
/// bursts, so the share of the due packets that the measured window relayed reads under 100 % while it is behind and over
/// 100 % while it sends a backlog from the warm-up. Neither is real time, and neither is a pacer late by more than a frame
/// on more than 1 % of its ticks (at 10 and 100 calls it is late on none).
/// </summary>
internal static class RealTime
{
    public static bool Held(long relayedInWindow, double due, long lateTicks, long ticks) =>
        relayedInWindow >= 0.98 * due && relayedInWindow <= 1.02 * due && lateTicks * 100 <= ticks;
}
