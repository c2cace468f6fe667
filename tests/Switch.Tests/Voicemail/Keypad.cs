using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Media.Srtp;
using HostedPbx.Switch.Tests.Calls.Support;

namespace HostedPbx.Switch.Tests.Voicemail;

/// <summary>
/// A phone's keys in a call: each digit an RFC 4733 event of its own (its own timestamp), over the call's SRTP; and its
/// microphone, in the same SRTP stream (one sequence), so the switch's replay window takes both.
/// </summary>
internal sealed class Keypad(TestPhone phone, NegotiatedMedia media) : IDisposable
{
    private readonly SrtpContext _outbound = media.LocalCrypto.CreateContext();
    private ushort _sequence;
    private uint _timestamp;

    public async Task PressAsync(string digits, CancellationToken cancellationToken)
    {
        foreach (var digit in digits)
        {
            await MailboxScene.SendDigitAsync(phone, media, _outbound, _sequence, _timestamp, digit, cancellationToken);
            _sequence += 4;
            _timestamp += 1600;
        }
    }

    /// <summary>20 ms of PCMU per byte of <paramref name="fills"/>, one packet each.</summary>
    public async Task SpeakAsync(IEnumerable<byte> fills, CancellationToken cancellationToken)
    {
        foreach (var fill in fills)
        {
            await phone.SendAudioAsync(media, _outbound, _sequence++, fill, cancellationToken);
        }
    }

    public void Dispose() => _outbound.Dispose();
}
