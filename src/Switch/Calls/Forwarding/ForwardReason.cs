namespace HostedPbx.Switch.Calls.Forwarding;

/// <summary>Why the extension a call rings cannot take it now; <see cref="CallForwarding.Decide"/> says what follows.</summary>
internal enum ForwardReason
{
    /// <summary>Every fork answered busy (486, 600 or 603).</summary>
    Busy,

    /// <summary>It rang for the extension's own "forward on no answer" seconds.</summary>
    NoAnswer,

    /// <summary>No handset of it is registered, or every fork failed without saying busy (480, 408, 503...).</summary>
    Unavailable,
}
