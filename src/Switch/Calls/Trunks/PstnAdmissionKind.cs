namespace HostedPbx.Switch.Calls.Trunks;

internal enum PstnAdmissionKind
{
    /// <summary>Not a call for the telephone network (no routes, or not a number): the controller answers as for an unknown extension.</summary>
    NotPstn,

    /// <summary>Refused by a toll-fraud guard, with the SIP status and reason phrase the caller gets.</summary>
    Refused,

    /// <summary>Admitted, on this route's trunks in order.</summary>
    Routed,
}
