namespace HostedPbx.Switch.Sip.Syntax;

/// <summary>CSeq = 1*DIGIT LWS Method (RFC 3261 §20.16); the number must be below 2**31 (§8.1.1.5).</summary>
public readonly ref struct CSeqHeader
{
    public uint Number { get; init; }

    public ReadOnlySpan<byte> Method { get; init; }

    public static bool TryParse(ReadOnlySpan<byte> value, out CSeqHeader cseq)
    {
        cseq = default;
        value = SipGrammar.TrimLws(value);
        var digits = 0;
        while (digits < value.Length && char.IsAsciiDigit((char)value[digits]))
        {
            digits++;
        }

        if (digits == value.Length || !SipGrammar.IsLws(value[digits])
            || !SipGrammar.TryParseDigits(value[..digits], int.MaxValue, out var number))
        {
            return false;
        }

        var method = SipGrammar.TrimLws(value[digits..]);
        if (!SipGrammar.IsToken(method))
        {
            return false;
        }

        cseq = new CSeqHeader { Number = (uint)number, Method = method };
        return true;
    }
}
