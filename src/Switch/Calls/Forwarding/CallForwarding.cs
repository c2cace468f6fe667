using HostedPbx.Switch.Devices;

namespace HostedPbx.Switch.Calls.Forwarding;

/// <summary>
/// Where one call to an extension goes, within the caller's tenant. "Forward always" is followed before anything rings;
/// what happens when the extension ringing is busy, does not answer, or is not there is decided in one place,
/// <see cref="Decide"/>. Every forward counts one hop of the call, and past <see cref="MaxHops"/> the call is refused
/// 482 Loop Detected (RFC 3261 §8.2.2.2 in spirit), so a loop such as 201 to 202 to 201 ends instead of ringing round
/// for ever.
/// </summary>
internal sealed class CallForwarding(DeviceDirectory directory, Guid tenantId, Func<string, List<CallLeg>> forks)
{
    public const int MaxHops = 5;

    private int _hops;

    /// <summary>The extension the call rings now, after every forward so far.</summary>
    public DirectoryExtension? Current { get; private set; }

    /// <summary>The dialled extension, after its "forward always" chain; false when that chain loops.</summary>
    public bool TryRoute(DirectoryExtension dialled)
    {
        if (!TryFollowAlways(dialled, out var final))
        {
            return false;
        }

        Current = final;
        return true;
    }

    /// <summary>
    /// What the call does when <see cref="Current"/> cannot take it. "Unavailable" (not registered, or every handset
    /// failed without saying busy) follows the no-answer target, as a PBX user expects: nobody answers there either.
    /// </summary>
    public ForwardDecision Decide(ForwardReason reason)
    {
        var target = Current is not { } current ? null : reason switch
        {
            ForwardReason.Busy => current.ForwardBusy,
            ForwardReason.NoAnswer or ForwardReason.Unavailable => current.ForwardNoAnswer,
        };
        return target is null ? ForwardDecision.None : ForwardDecision.To(target);
    }

    /// <summary>
    /// Forks towards <paramref name="number"/> (after its own "forward always"), for a callee that could not take the
    /// call. When no handset of the target is registered, its own "unavailable" forward is followed in turn.
    /// <see cref="Current"/> moves only when there is someone to ring.
    /// </summary>
    public ForwardResult Next(string number, out List<CallLeg> legs)
    {
        legs = [];
        var next = number;
        while (directory.TryFindExtension(tenantId, next, out var target))
        {
            if (++_hops > MaxHops || !TryFollowAlways(target, out var final))
            {
                return ForwardResult.Loop;
            }

            legs = forks(final.Number);
            if (legs.Count > 0)
            {
                Current = final;
                return ForwardResult.Forwarded;
            }

            if (final.ForwardNoAnswer is not { } onward)
            {
                break;
            }

            next = onward;
        }

        return ForwardResult.Nowhere;
    }

    private bool TryFollowAlways(DirectoryExtension start, out DirectoryExtension final)
    {
        final = start;
        while (final.ForwardAlways is { } next && directory.TryFindExtension(tenantId, next, out var target))
        {
            if (++_hops > MaxHops)
            {
                return false;
            }

            final = target;
        }

        return true;
    }
}
