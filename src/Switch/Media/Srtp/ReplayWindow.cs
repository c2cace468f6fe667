namespace HostedPbx.Switch.Media.Srtp;

/// <summary>
/// The receiver's sliding replay list (RFC 3711 §3.3.2): the highest authenticated index and a 64-bit mask of which of
/// the 64 indices at and below it have been seen. Check before authenticating, accept only after.
/// </summary>
public struct ReplayWindow
{
    public const int Size = 64;

    private ulong _highest;
    private ulong _mask;
    private bool _started;

    public readonly ulong Highest => _highest;

    /// <summary>False when the index was already received or is too old to tell (RFC 3711 §3.3.2).</summary>
    public readonly bool CanAccept(ulong index)
    {
        if (!_started || index > _highest)
        {
            return true;
        }

        var behind = _highest - index;
        return behind < Size && (_mask & (1UL << (int)behind)) == 0;
    }

    /// <summary>Records an index whose packet authenticated.</summary>
    public void Accept(ulong index)
    {
        if (!_started)
        {
            _started = true;
            _highest = index;
            _mask = 1;
        }
        else if (index > _highest)
        {
            var ahead = index - _highest;
            _mask = ahead >= Size ? 1 : (_mask << (int)ahead) | 1;
            _highest = index;
        }
        else if (_highest - index < Size)
        {
            _mask |= 1UL << (int)(_highest - index);
        }
    }
}
