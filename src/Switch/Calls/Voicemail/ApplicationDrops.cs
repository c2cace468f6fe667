namespace HostedPbx.Switch.Calls.Voicemail;

/// <summary>
/// What the application legs (mailbox, retrieval) dropped of what a caller sent, by reason, in the style of the
/// relay's drop counts: datagrams larger than an RTP packet can be, packets that fail SRTP authentication (RFC 3711
/// §3.3) or are malformed, payload types that were not negotiated, and
/// digits beyond what the retrieval menu queues. None of them reaches a message.
/// </summary>
internal sealed class ApplicationDrops
{
    private long _oversized;
    private long _unauthenticated;
    private long _unnegotiated;
    private long _digitOverflow;

    public long Oversized => Interlocked.Read(ref _oversized);

    public long Unauthenticated => Interlocked.Read(ref _unauthenticated);

    public long Unnegotiated => Interlocked.Read(ref _unnegotiated);

    /// <summary>Digits the retrieval menu had no room to queue (more than 32 waiting): a flood, dropped.</summary>
    public long DigitOverflow => Interlocked.Read(ref _digitOverflow);

    public void OnDigitOverflow() => Interlocked.Increment(ref _digitOverflow);

    public void OnOversized() => Interlocked.Increment(ref _oversized);

    public void OnUnauthenticated() => Interlocked.Increment(ref _unauthenticated);

    public void OnUnnegotiated() => Interlocked.Increment(ref _unnegotiated);
}
