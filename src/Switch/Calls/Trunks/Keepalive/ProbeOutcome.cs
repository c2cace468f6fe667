namespace HostedPbx.Switch.Calls.Trunks.Keepalive;

/// <summary>What one OPTIONS keep-alive found: the carrier alive or not, and in words why (for the state's reason).</summary>
internal sealed record ProbeOutcome(bool Alive, string Reason)
{
    /// <summary>
    /// RFC 3261 §11.2: any final response shows the carrier's SIP stack is there (many answer OPTIONS 404, 405 or a
    /// challenge), so it counts as alive, except 503, by which a carrier says itself it takes no requests (RFC 3263 §4.3
    /// fails over on it), and 408, which a proxy sends when nobody answered behind it.
    /// </summary>
    public static ProbeOutcome Of(int status, string phrase) => status is 503 or 408
        ? new ProbeOutcome(false, $"answered OPTIONS {status} {phrase}")
        : new ProbeOutcome(true, $"answered OPTIONS {status} {phrase}");
}
