namespace HostedPbx.Switch.Calls;

/// <summary>What can happen to a call; <see cref="Call"/> decides each one by its state.</summary>
internal enum CallEvent
{
    /// <summary>A callee leg is being alerted (1xx).</summary>
    CalleeProgress,

    /// <summary>A callee leg answered (2xx, already ACKed by the leg).</summary>
    CalleeAnswered,

    /// <summary>A callee leg failed: a final non-2xx, a timeout or a transport error.</summary>
    CalleeFailed,

    /// <summary>The caller withdrew its INVITE (CANCEL, RFC 3261 §9.2).</summary>
    CallerCancelled,

    /// <summary>No callee answered in time.</summary>
    NoAnswer,

    /// <summary>The callee has rung as long as its "forward on no answer" allows.</summary>
    ForwardNoAnswer,

    /// <summary>A leg hung up (BYE in its dialog).</summary>
    Bye,

    /// <summary>A leg re-INVITEd (hold, resume, new address or keys; RFC 3261 §14).</summary>
    ReInvite,

    /// <summary>A leg of the answered call asked to transfer it (REFER, RFC 3515); the controller has checked the target.</summary>
    Refer,

    /// <summary>The connection a leg's signalling went over is gone (RFC 5626 §5.3 flow failure).</summary>
    ConnectionLost,

    /// <summary>An application leg (an announcement) came to its end and hangs up.</summary>
    ApplicationDone,

    /// <summary>The bridge heard nothing from one side for too long.</summary>
    MediaTimeout,

    /// <summary>The recording announcement has been played to both parties: the bridge starts.</summary>
    Announced,

    /// <summary>
    /// A leg of the answered call asked for an attended transfer (REFER whose Refer-To carries Replaces, RFC 3891); the
    /// controller has resolved the replaced dialog to a leg of another call of the same device.
    /// </summary>
    ReferReplaces,

    /// <summary>A leg answered a re-INVITE the switch sent it (RFC 3261 §14.1): a final status, and the media when 2xx.</summary>
    ReInviteAnswered,

    /// <summary>The time to wait after a 491 to the switch's own re-INVITE has passed (RFC 3261 §14.1): offer again.</summary>
    GlareRetry,

    /// <summary>The other call of an attended transfer says how the join ended: the remaining party joined it, or not.</summary>
    JoinDone,
}
