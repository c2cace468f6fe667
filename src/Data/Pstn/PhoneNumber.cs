namespace HostedPbx.Data.Pstn;

/// <summary>E.164 numbers (ITU-T E.164: a country code and at most 15 digits in all), written with a leading +.</summary>
public static class PhoneNumber
{
    /// <summary>The form stored and sent to carriers: +, a non-zero first digit, 7 to 15 digits.</summary>
    public static bool IsE164(string? text) =>
        text is { Length: >= 8 and <= 16 } && text[0] == '+' && text[1] is >= '1' and <= '9' && text.AsSpan(1).ContainsAnyExceptInRange('0', '9') is false;

    /// <summary>
    /// What the caller dialled, in E.164 after the country's rules: "+…" as it is, the international prefix (00, 011…)
    /// for "+", the trunk prefix (0) for the country code, and in a country without one (IT, ES) the country code before
    /// the national number. Spaces, dashes, dots and brackets people type are dropped. False when nothing valid comes out.
    /// </summary>
    public static bool TryNormalise(string? dialled, CountryDialPlan plan, out string e164)
    {
        ArgumentNullException.ThrowIfNull(plan);
        e164 = "";
        if (string.IsNullOrWhiteSpace(dialled))
        {
            return false;
        }

        var text = new string([.. dialled.Where(c => c is not (' ' or '-' or '.' or '(' or ')'))]);
        string candidate;
        if (text.StartsWith('+'))
        {
            candidate = text;
        }
        else if (text.StartsWith(plan.InternationalPrefix, StringComparison.Ordinal))
        {
            candidate = "+" + text[plan.InternationalPrefix.Length..];
        }
        else if (plan.TrunkPrefix.Length > 0 && text.StartsWith(plan.TrunkPrefix, StringComparison.Ordinal))
        {
            candidate = "+" + plan.CallingCode + text[plan.TrunkPrefix.Length..];
        }
        else if (plan.TrunkPrefix.Length == 0 || (plan.CallingCode == "1" && text.Length == 10))
        {
            // No trunk prefix in the country (or NANP's ten digits without the 1): the national number follows the code.
            candidate = "+" + plan.CallingCode + text;
        }
        else
        {
            return false;
        }

        if (!IsE164(candidate))
        {
            return false;
        }

        e164 = candidate;
        return true;
    }

    /// <summary>
    /// A called number as a carrier writes it in a Request-URI or To (issue 11, inbound) in E.164: "+4930…", the same
    /// digits without the "+" ("4930…", international format), "00" for "+", or a <c>tel:</c> URI. RFC 3966 §3:
    /// <c>telephone-subscriber = global-number / local-number</c>, <c>global-number-digits = "+" *phonedigit DIGIT *phonedigit</c>,
    /// <c>phonedigit = DIGIT / visual-separator</c>, <c>visual-separator = "-" / "." / "(" / ")"</c>; parameters
    /// (";npdi", ";rn=…") follow a ";" and are dropped. A national number (leading single 0) names no country and is refused.
    /// </summary>
    public static bool TryFromCarrier(string? called, out string e164)
    {
        e164 = "";
        if (string.IsNullOrWhiteSpace(called))
        {
            return false;
        }

        var text = called.StartsWith("tel:", StringComparison.OrdinalIgnoreCase) ? called[4..] : called;
        var parameters = text.IndexOf(';', StringComparison.Ordinal);
        text = parameters < 0 ? text : text[..parameters];
        var digits = new string([.. text.Where(c => c is not ('-' or '.' or '(' or ')'))]);
        var candidate = digits.StartsWith('+') ? digits
            : digits.StartsWith("00", StringComparison.Ordinal) ? "+" + digits[2..]
            : digits.StartsWith('0') ? ""
            : "+" + digits;
        if (!IsE164(candidate))
        {
            return false;
        }

        e164 = candidate;
        return true;
    }
}
