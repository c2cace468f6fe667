namespace HostedPbx.Switch.Calls.Voicemail;

/// <summary>An application leg that acts on the caller's digits, whether they come by RFC 4733 or by SIP INFO (application/dtmf-relay).</summary>
internal interface IDigitReceiver
{
    void OnDigit(char digit);
}
