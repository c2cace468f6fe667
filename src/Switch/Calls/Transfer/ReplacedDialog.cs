namespace HostedPbx.Switch.Calls.Transfer;

/// <summary>The dialog a Replaces header names (RFC 3891 §6.1): its Call-ID and both tags, as the transferor sees them.</summary>
internal sealed record ReplacedDialog(string CallId, string ToTag, string FromTag, bool EarlyOnly = false)
{
    public static bool TryParse(string value, out ReplacedDialog? dialog)
    {
        dialog = null;
        var parts = value.Split(';', StringSplitOptions.TrimEntries);
        if (parts.Length < 3 || parts[0].Length is 0 or > 256)
        {
            return false;
        }

        string? toTag = null, fromTag = null;
        var earlyOnly = false;
        foreach (var part in parts.Skip(1))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? part : part[..equals];
            var tag = equals < 0 ? "" : part[(equals + 1)..];
            if (name.Equals("to-tag", StringComparison.OrdinalIgnoreCase))
            {
                toTag = tag;
            }
            else if (name.Equals("from-tag", StringComparison.OrdinalIgnoreCase))
            {
                fromTag = tag;
            }
            else if (name.Equals("early-only", StringComparison.OrdinalIgnoreCase))
            {
                // RFC 3891 §3: only an early dialog may be replaced.
                earlyOnly = true;
            }
        }

        // RFC 3891 §6.1: both tags are required.
        if (string.IsNullOrEmpty(toTag) || string.IsNullOrEmpty(fromTag))
        {
            return false;
        }

        dialog = new ReplacedDialog(parts[0], toTag, fromTag, earlyOnly);
        return true;
    }
}
