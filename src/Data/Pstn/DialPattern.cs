namespace HostedPbx.Data.Pstn;

/// <summary>
/// An outbound route's pattern. Grammar: <c>["+"] *( DIGIT / "X" ) ["*"]</c>, not empty. X stands for one digit,
/// a trailing * for any rest (or none); without it the length must match. A pattern with "+" is matched against the
/// number in E.164, one without against the digits as dialled (<c>0*</c>, <c>00*</c>).
/// </summary>
public sealed class DialPattern
{
    private readonly string _body;
    private readonly bool _open;

    private DialPattern(string text)
    {
        Text = text;
        _open = text.EndsWith('*');
        _body = _open ? text[..^1] : text;
    }

    public string Text { get; }

    public bool IsE164 => Text.StartsWith('+');

    /// <summary>Parses a pattern; on failure <paramref name="error"/> is a sentence for the person who typed it.</summary>
    public static bool TryParse(string? text, out DialPattern? pattern, out string error)
    {
        pattern = null;
        error = "";
        if (string.IsNullOrEmpty(text) || text == "*" || text == "+")
        {
            // "+*" (every number in E.164) is the widest pattern; a bare "*" would take anything dialled, valid or not.
            error = "A pattern needs at least one digit, e.g. +44*, 0*, +4930XXXXXXX (or +* for every number).";
            return false;
        }

        if (text.Length > 20)
        {
            error = "A pattern is at most 20 characters.";
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var ok = c is (>= '0' and <= '9') or 'X' || (c == '+' && i == 0) || (c == '*' && i == text.Length - 1);
            if (!ok)
            {
                error = $"'{c}' at position {i + 1} is not allowed: use digits, X for any one digit, a leading + and a trailing *.";
                return false;
            }
        }

        pattern = new DialPattern(text);
        return true;
    }

    public static DialPattern Parse(string text) =>
        TryParse(text, out var pattern, out var error) ? pattern! : throw new FormatException(error);

    /// <summary>True when the number (as dialled, or in E.164 for a + pattern) matches.</summary>
    public bool Matches(string dialled, string e164)
    {
        ArgumentNullException.ThrowIfNull(dialled);
        ArgumentNullException.ThrowIfNull(e164);
        var number = IsE164 ? e164 : dialled;
        if (number.Length < _body.Length || (!_open && number.Length != _body.Length))
        {
            return false;
        }

        for (var i = 0; i < _body.Length; i++)
        {
            var p = _body[i];
            var c = number[i];
            if (p == 'X' ? c is < '0' or > '9' : p != c)
            {
                return false;
            }
        }

        return true;
    }
}
