namespace HostedPbx.Switch.Calls;

/// <summary>What is at the far end of a call leg (DESIGN "The call model").</summary>
internal enum LegKind
{
    /// <summary>A handset over its own mutual-TLS connection.</summary>
    Handset,

    /// <summary>A carrier over TLS; the PSTN issue fills it in.</summary>
    Trunk,

    /// <summary>Another switch node over mutual TLS; later work.</summary>
    Node,

    /// <summary>A user agent inside the switch that terminates media (announcement, later voicemail).</summary>
    Application,
}
