using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using HostedPbx.Switch.Media.Rtp;

namespace HostedPbx.Switch.Media.Srtp;

public sealed partial class SrtpContext
{
    private const int SrtcpIndexLength = 4;
    private const uint EncryptedFlag = 0x8000_0000;

    /// <summary>
    /// Encrypts and authenticates the RTCP packet in <paramref name="buffer"/>[..<paramref name="length"/>] in place,
    /// appending the E flag, SRTCP index and tag; the buffer must have <see cref="SrtcpOverhead"/> spare octets.
    /// </summary>
    public SrtpStatus ProtectRtcp(Span<byte> buffer, int length, out int protectedLength)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)length, (uint)buffer.Length, nameof(length));
        protectedLength = 0;
        if (length < RtcpPacket.HeaderLength || buffer[0] >> 6 != 2)
        {
            return SrtpStatus.Malformed;
        }

        var tagLength = _profile.SrtcpTagLength;
        if (buffer.Length - length < SrtcpIndexLength + tagLength)
        {
            return SrtpStatus.BufferTooSmall;
        }

        var ssrc = RtcpPacket.ReadSenderSsrc(buffer);
        var slot = FindStream(ssrc);
        ref var stream = ref Touch(slot >= 0 ? slot : ClaimStream(ssrc));
        var index = stream.NextSrtcpIndex;
        stream.NextSrtcpIndex = (index + 1) & ~EncryptedFlag;
        var trailer = EncryptedFlag | index;

        var payload = buffer[RtcpPacket.HeaderLength..length];
        if (_profile.IsAead)
        {
            // RFC 7714 §9.1-9.2: AAD is the first 8 octets then E||index; the tag precedes the trailer.
            Span<byte> nonce = stackalloc byte[GcmNonceLength];
            GcmNonce(_rtcpSalt, ssrc, index, nonce);
            Span<byte> aad = stackalloc byte[RtcpPacket.HeaderLength + SrtcpIndexLength];
            buffer[..RtcpPacket.HeaderLength].CopyTo(aad);
            BinaryPrimitives.WriteUInt32BigEndian(aad[RtcpPacket.HeaderLength..], trailer);
            _rtcpGcm!.Seal(nonce, payload, buffer.Slice(length, tagLength), aad);
            BinaryPrimitives.WriteUInt32BigEndian(buffer[(length + tagLength)..], trailer);
        }
        else
        {
            // RFC 3711 §3.4: encrypt after the first 8 octets, then authenticate everything up to and including E||index.
            Span<byte> iv = stackalloc byte[AesCounterMode.BlockSize];
            AesCmIv(_rtcpSalt, ssrc, index, iv);
            _rtcpCipher!.Transform(iv, payload);
            BinaryPrimitives.WriteUInt32BigEndian(buffer[length..], trailer);
            Span<byte> digest = stackalloc byte[HmacSha1.Length];
            _rtcpHmac!.Compute(buffer[..(length + SrtcpIndexLength)], [], digest);
            digest[..tagLength].CopyTo(buffer[(length + SrtcpIndexLength)..]);
        }

        protectedLength = length + SrtcpIndexLength + tagLength;
        return SrtpStatus.Ok;
    }

    /// <summary>
    /// Authenticates, replay-checks and (when the E flag says so) decrypts the SRTCP packet that fills
    /// <paramref name="packet"/>, in place. On anything but <see cref="SrtpStatus.Ok"/> the packet is left as it came.
    /// </summary>
    public SrtpStatus UnprotectRtcp(Span<byte> packet, out int length)
    {
        length = 0;
        var tagLength = _profile.SrtcpTagLength;
        if (packet.Length < RtcpPacket.HeaderLength + SrtcpIndexLength + tagLength)
        {
            return SrtpStatus.Truncated;
        }

        if (packet[0] >> 6 != 2)
        {
            return SrtpStatus.Malformed;
        }

        // RFC 3711 §3.4 places E||index before the tag; RFC 7714 §9 after it.
        var trailerAt = _profile.IsAead ? packet.Length - SrtcpIndexLength : packet.Length - tagLength - SrtcpIndexLength;
        var trailer = BinaryPrimitives.ReadUInt32BigEndian(packet[trailerAt..]);
        var encrypted = (trailer & EncryptedFlag) != 0;
        var index = trailer & ~EncryptedFlag;
        var ssrc = RtcpPacket.ReadSenderSsrc(packet);
        var slot = FindStream(ssrc);
        if (slot >= 0 && !_streams[slot].RtcpWindow.CanAccept(index))
        {
            return SrtpStatus.Replayed;
        }

        var rtcpLength = packet.Length - SrtcpIndexLength - tagLength;
        if (_profile.IsAead)
        {
            if (!TryOpenRtcp(packet, rtcpLength, trailer, encrypted, ssrc, index))
            {
                return SrtpStatus.AuthFailed;
            }
        }
        else
        {
            Span<byte> digest = stackalloc byte[HmacSha1.Length];
            _rtcpHmac!.Compute(packet[..(rtcpLength + SrtcpIndexLength)], [], digest);
            if (!CryptographicOperations.FixedTimeEquals(digest[..tagLength], packet[^tagLength..]))
            {
                return SrtpStatus.AuthFailed;
            }

            if (encrypted)
            {
                Span<byte> iv = stackalloc byte[AesCounterMode.BlockSize];
                AesCmIv(_rtcpSalt, ssrc, index, iv);
                _rtcpCipher!.Transform(iv, packet[RtcpPacket.HeaderLength..rtcpLength]);
            }
        }

        ref var stream = ref Touch(slot >= 0 ? slot : ClaimStream(ssrc));
        stream.RtcpWindow.Accept(index);
        length = rtcpLength;
        return SrtpStatus.Ok;
    }

    private bool TryOpenRtcp(Span<byte> packet, int rtcpLength, uint trailer, bool encrypted, uint ssrc, uint index)
    {
        Span<byte> nonce = stackalloc byte[GcmNonceLength];
        GcmNonce(_rtcpSalt, ssrc, index, nonce);
        var tag = packet.Slice(rtcpLength, _profile.SrtcpTagLength);
        if (encrypted)
        {
            Span<byte> aad = stackalloc byte[RtcpPacket.HeaderLength + SrtcpIndexLength];
            packet[..RtcpPacket.HeaderLength].CopyTo(aad);
            BinaryPrimitives.WriteUInt32BigEndian(aad[RtcpPacket.HeaderLength..], trailer);
            return _rtcpGcm!.TryOpen(nonce, packet[RtcpPacket.HeaderLength..rtcpLength], tag, aad);
        }

        // RFC 7714 §9.2: with E = 0 the whole RTCP packet and E||index are authenticated, nothing is encrypted.
        var aadLength = rtcpLength + SrtcpIndexLength;
        byte[]? rented = null;
        var unencryptedAad = aadLength <= 1500 ? stackalloc byte[1500] : rented = ArrayPool<byte>.Shared.Rent(aadLength);
        try
        {
            packet[..rtcpLength].CopyTo(unencryptedAad);
            BinaryPrimitives.WriteUInt32BigEndian(unencryptedAad[rtcpLength..], trailer);
            return _rtcpGcm!.TryOpen(nonce, [], tag, unencryptedAad[..aadLength]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
