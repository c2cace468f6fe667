using System.Buffers.Binary;
using System.Security.Cryptography;
using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Media.Relay;

/// <summary>
/// The switch's own RTP stream toward one peer: its own random SSRC and its own packet index, written into every packet
/// before it is protected. Whatever the sending side does (restarts its sequence, changes SSRC after a re-INVITE, has
/// its inbound context replaced), no (SSRC, index) pair is protected twice under the outbound key, which would reuse
/// the AES-CM keystream or the GCM nonce (RFC 3711 §9.1, RFC 7714 §8.1). Sequence gaps and small reorderings of the
/// incoming stream are kept, so the peer's loss statistics and jitter buffer still see them.
/// </summary>
internal struct OutboundStream
{
    /// <summary>A jump forward larger than this is a new stream, not loss (well inside SRTP's ±2^15 index guess).</summary>
    private const int MaxForwardGap = 3000;

    private uint _sourceSsrc;
    private ushort _lastSourceSequence;
    private ulong _lastIndex;
    private ulong _highest;
    private ReplayWindow _used;
    private bool _started;

    private OutboundStream(uint ssrc, ulong firstIndex)
    {
        Ssrc = ssrc;
        _highest = firstIndex;
    }

    public uint Ssrc { get; }

    /// <summary>A stream with a random SSRC and a random first sequence number (RFC 3550 §5.1), ROC 0.</summary>
    public static OutboundStream Create()
    {
        Span<byte> random = stackalloc byte[6];
        RandomNumberGenerator.Fill(random);
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(random);
        var sequence = BinaryPrimitives.ReadUInt16BigEndian(random[4..]) & 0x7FFF;
        return new OutboundStream(ssrc == 0 ? 1 : ssrc, (ulong)sequence);
    }

    /// <summary>Rewrites the SSRC and sequence number of a plain RTP packet; returns the packet index given to it.</summary>
    public ulong RewriteRtp(Span<byte> rtp)
    {
        var sourceSsrc = BinaryPrimitives.ReadUInt32BigEndian(rtp[8..]);
        var sourceSequence = BinaryPrimitives.ReadUInt16BigEndian(rtp[2..]);
        var index = _highest + 1;
        if (_started && sourceSsrc == _sourceSsrc)
        {
            var delta = (short)(ushort)(sourceSequence - _lastSourceSequence);
            var candidate = (long)_lastIndex + delta;
            if (delta <= MaxForwardGap && candidate > 0 && _used.CanAccept((ulong)candidate))
            {
                // Loss and reordering within the window carry over; a repeat or a restart gets a fresh index.
                index = (ulong)candidate;
            }
        }

        if (!_started || sourceSsrc != _sourceSsrc || index > _lastIndex || index == _highest + 1)
        {
            _sourceSsrc = sourceSsrc;
            _lastSourceSequence = sourceSequence;
            _lastIndex = index;
        }

        _started = true;
        _used.Accept(index);
        _highest = Math.Max(_highest, index);
        BinaryPrimitives.WriteUInt16BigEndian(rtp[2..], (ushort)index);
        BinaryPrimitives.WriteUInt32BigEndian(rtp[8..], Ssrc);
        return index;
    }

    /// <summary>RFC 3550 §6.4: writes the stream's SSRC as the sender of every SR and RR in a compound RTCP packet.</summary>
    public readonly void RewriteRtcp(Span<byte> rtcp)
    {
        var offset = 0;
        while (offset + 8 <= rtcp.Length)
        {
            if (rtcp[offset + 1] is 200 or 201)
            {
                BinaryPrimitives.WriteUInt32BigEndian(rtcp[(offset + 4)..], Ssrc);
            }

            offset += (BinaryPrimitives.ReadUInt16BigEndian(rtcp[(offset + 2)..]) + 1) * 4;
        }
    }
}
