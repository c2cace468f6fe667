using System.Text;

namespace HostedPbx.Switch.Diagnostics;

/// <summary>
/// A peer's text as it may appear in a log line or an audit reason: printable ASCII, anything else escaped as \xNN, and
/// at most <see cref="MaxLength"/> characters, so a peer can neither flood a log nor forge its lines.
/// </summary>
internal static class PeerText
{
    public const int MaxLength = 120;

    public static string Bound(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var result = new StringBuilder(Math.Min(text.Length, MaxLength) + 16);
        var i = 0;
        for (; i < text.Length && result.Length < MaxLength; i++)
        {
            var c = text[i];
            if (c is >= ' ' and <= '~')
            {
                result.Append(c);
            }
            else
            {
                result.Append(@"\x").Append(((int)Math.Min(c, (char)0xFF)).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        if (i < text.Length)
        {
            result.Append(System.Globalization.CultureInfo.InvariantCulture, $"...({text.Length - i} more)");
        }

        return result.ToString();
    }
}
