using System.Buffers.Binary;
using System.Security.Cryptography;
using HostedPbx.Switch.Media.Rtp;

namespace HostedPbx.Switch.Media.Srtp;

public sealed partial class SrtpContext
{
    /// <summary>
    /// Encrypts and authenticates the RTP packet in <paramref name="buffer"/>[..<paramref name="length"/>] in place and
    /// appends the tag; the buffer must have <see cref="SrtpOverhead"/> spare octets after the packet.
    /// </summary>
    public SrtpStatus ProtectRtp(Span<byte> buffer, int length, out int protectedLength)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)length, (uint)buffer.Length, nameof(length));
        protectedLength = 0;
        if (!RtpHeader.TryRead(buffer[..length], out var header))
        {
            return SrtpStatus.Malformed;
        }

        var tagLength = _profile.SrtpTagLength;
        if (buffer.Length - length < tagLength)
        {
            return SrtpStatus.BufferTooSmall;
        }

        var ssrc = header.Ssrc;
        var headerLength = header.Length;
        var slot = FindStream(ssrc);
        ref var stream = ref Touch(slot >= 0 ? slot : ClaimStream(ssrc));
        var estimated = stream.EstimateIndex(header.SequenceNumber);
        var index = estimated < 0 ? header.SequenceNumber : (ulong)estimated;
        stream.Advance(index);

        if (_profile.IsAead)
        {
            // RFC 7714 §8.2: the whole RTP header is associated data, the payload is encrypted, the tag follows.
            Span<byte> nonce = stackalloc byte[GcmNonceLength];
            GcmNonce(_rtpSalt, ssrc, index, nonce);
            var payload = buffer[headerLength..length];
            _rtpGcm!.Seal(nonce, payload, buffer.Slice(length, tagLength), buffer[..headerLength]);
        }
        else
        {
            Span<byte> iv = stackalloc byte[AesCounterMode.BlockSize];
            AesCmIv(_rtpSalt, ssrc, index, iv);
            _rtpCipher!.Transform(iv, buffer[headerLength..length]);

            // RFC 3711 §4.2: the tag covers the header, the encrypted payload and the ROC.
            Span<byte> digest = stackalloc byte[HmacSha1.Length];
            RtpAuthentication(buffer[..length], (uint)(index >> 16), digest);
            digest[..tagLength].CopyTo(buffer[length..]);
        }

        protectedLength = length + tagLength;
        return SrtpStatus.Ok;
    }

    /// <summary>
    /// Authenticates, replay-checks and decrypts the SRTP packet that fills <paramref name="packet"/>, in place.
    /// On anything but <see cref="SrtpStatus.Ok"/> the packet is left as it came and must be dropped.
    /// </summary>
    public SrtpStatus UnprotectRtp(Span<byte> packet, out int length)
    {
        length = 0;
        var tagLength = _profile.SrtpTagLength;
        if (packet.Length < RtpHeader.FixedLength + tagLength)
        {
            return SrtpStatus.Truncated;
        }

        var body = packet[..^tagLength];
        if (!RtpHeader.TryRead(body, out var header))
        {
            return packet[0] >> 6 == 2 ? SrtpStatus.Truncated : SrtpStatus.Malformed;
        }

        var ssrc = header.Ssrc;
        var headerLength = header.Length;
        var slot = FindStream(ssrc);
        var estimated = slot >= 0 ? _streams[slot].EstimateIndex(header.SequenceNumber) : header.SequenceNumber;

        // RFC 3711 §3.3.2: drop replays before spending work on the tag.
        if (estimated < 0 || (slot >= 0 && !_streams[slot].RtpWindow.CanAccept((ulong)estimated)))
        {
            return SrtpStatus.Replayed;
        }

        var index = (ulong)estimated;
        var tag = packet[^tagLength..];
        if (_profile.IsAead)
        {
            Span<byte> nonce = stackalloc byte[GcmNonceLength];
            GcmNonce(_rtpSalt, ssrc, index, nonce);
            if (!_rtpGcm!.TryOpen(nonce, body[headerLength..], tag, body[..headerLength]))
            {
                return SrtpStatus.AuthFailed;
            }
        }
        else
        {
            Span<byte> digest = stackalloc byte[HmacSha1.Length];
            RtpAuthentication(body, (uint)(index >> 16), digest);
            if (!CryptographicOperations.FixedTimeEquals(digest[..tagLength], tag))
            {
                return SrtpStatus.AuthFailed;
            }

            Span<byte> iv = stackalloc byte[AesCounterMode.BlockSize];
            AesCmIv(_rtpSalt, ssrc, index, iv);
            _rtpCipher!.Transform(iv, body[headerLength..]);
        }

        // RFC 3711 §3.3.2: only an authenticated packet moves the replay list and the ROC.
        ref var stream = ref Touch(slot >= 0 ? slot : ClaimStream(ssrc));
        stream.RtpWindow.Accept(index);
        stream.Advance(index);
        length = body.Length;
        return SrtpStatus.Ok;
    }

    private void RtpAuthentication(ReadOnlySpan<byte> authenticated, uint roc, Span<byte> digest)
    {
        Span<byte> rocOctets = stackalloc byte[sizeof(uint)];
        BinaryPrimitives.WriteUInt32BigEndian(rocOctets, roc);
        _rtpHmac!.Compute(authenticated, rocOctets, digest);
    }
}
