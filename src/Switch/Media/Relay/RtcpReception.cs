using HostedPbx.Switch.Media.Rtp;

namespace HostedPbx.Switch.Media.Relay;

/// <summary>
/// What a leg's peer says, in its RTCP reports (RFC 3550 §6.4), about how it receives the stream the switch sends it:
/// sums over the reports, for metrics read when scraped. Written by the relay thread only; plain fields, no allocation.
/// </summary>
internal sealed class RtcpReception(int clockRate)
{
    private long _reports;
    private long _jitterMicroseconds;
    private long _lost256ths;

    public RtcpReceptionTotals Totals => new(
        Volatile.Read(ref _reports), Volatile.Read(ref _jitterMicroseconds) / 1e6, Volatile.Read(ref _lost256ths) / 256.0);

    /// <summary>Reads the first report block of an unprotected compound RTCP packet, if it carries one.</summary>
    public void Read(ReadOnlySpan<byte> rtcp)
    {
        if (!RtcpReportBlock.TryReadFirst(rtcp, out var block))
        {
            return;
        }

        // RFC 3550 §6.4.1: jitter is in timestamp units of the reported stream; its clock rate turns it into time.
        Volatile.Write(ref _jitterMicroseconds, _jitterMicroseconds + (block.Jitter * 1_000_000L / clockRate));
        Volatile.Write(ref _lost256ths, _lost256ths + block.FractionLost);
        Volatile.Write(ref _reports, _reports + 1);
    }
}
