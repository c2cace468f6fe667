namespace HostedPbx.Switch.Sip.Transactions;

/// <summary>The RFC 3261 §17 transaction timers (Table 4 of Appendix A).</summary>
public enum SipTimer : byte
{
    /// <summary>INVITE request retransmit (client, unreliable transport).</summary>
    A,

    /// <summary>INVITE transaction timeout (client).</summary>
    B,

    /// <summary>Wait time for response retransmits (client INVITE, Completed).</summary>
    D,

    /// <summary>Non-INVITE request retransmit (client, unreliable transport).</summary>
    E,

    /// <summary>Non-INVITE transaction timeout (client).</summary>
    F,

    /// <summary>INVITE final response retransmit (server, unreliable transport).</summary>
    G,

    /// <summary>Wait time for ACK receipt (server INVITE).</summary>
    H,

    /// <summary>Wait time for ACK retransmits (server INVITE, Confirmed).</summary>
    I,

    /// <summary>Wait time for non-INVITE request retransmits (server).</summary>
    J,

    /// <summary>Wait time for response retransmits (client non-INVITE).</summary>
    K,
}
