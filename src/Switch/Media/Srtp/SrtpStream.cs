namespace HostedPbx.Switch.Media.Srtp;

/// <summary>The per-SSRC part of a cryptographic context (RFC 3711 §3.2.1): rollover counter, replay lists, SRTCP index.</summary>
internal struct SrtpStream
{
    public uint Ssrc;
    public bool InUse;
    public long LastUsed;

    /// <summary>ROC * 2^16 + s_l: the highest SRTP index sent or authenticated so far.</summary>
    public ulong HighestIndex;
    public bool HasRtp;
    public ReplayWindow RtpWindow;
    public ReplayWindow RtcpWindow;
    public uint NextSrtcpIndex;

    /// <summary>The 48-bit packet index for a sequence number; -1 when it would fall before ROC 0.</summary>
    public readonly long EstimateIndex(ushort sequence)
    {
        if (!HasRtp)
        {
            // RFC 3711 §3.3.1: the first packet sets s_l, with ROC 0.
            return sequence;
        }

        // RFC 3711 §3.3.1 and Appendix A: guess ROC - 1, ROC or ROC + 1, whichever puts SEQ closest to s_l.
        var roc = (long)(HighestIndex >> 16);
        var last = (int)(HighestIndex & 0xFFFF);
        long guess;
        if (last < 32768)
        {
            guess = sequence - last > 32768 ? roc - 1 : roc;
        }
        else
        {
            guess = last - 32768 > sequence ? roc + 1 : roc;
        }

        return guess < 0 || guess > uint.MaxValue ? -1 : (guess << 16) | sequence;
    }

    /// <summary>Moves s_l and ROC forward when the index is the newest yet (RFC 3711 §3.3.1).</summary>
    public void Advance(ulong index)
    {
        if (!HasRtp || index > HighestIndex)
        {
            HighestIndex = index;
            HasRtp = true;
        }
    }
}
