using System.Text;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Calls.Transfer;

/// <summary>
/// Where a REFER sends the call: the user part of its Refer-To URI, and the dialog an attended transfer replaces.
/// <code>
/// Refer-To = ("Refer-To" / "r") HCOLON ( name-addr / addr-spec ) *(SEMI generic-param)   ; RFC 3515 §2.1
/// Replaces = callid *(SEMI replaces-param) ; to-tag / from-tag / early-flag               ; RFC 3891 §6.1
/// </code>
/// </summary>
internal sealed record ReferTarget(string Number, ReplacedDialog? Replaces)
{
    /// <summary>False for anything but a SIP or SIPS URI with a user part (a tel: or http: target is not ours to call).</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out ReferTarget? target)
    {
        target = null;
        if (!NameAddress.TryParse(value, out var address) || !SipUri.TryParse(address.Uri, out var uri) || !uri.HasUser || uri.User.Length > 64)
        {
            return false;
        }

        ReplacedDialog? replaces = null;

        // RFC 3891 §7.1 / RFC 3261 §19.1.1: the Replaces header travels escaped among the Refer-To URI's headers.
        if (uri.HasHeaders)
        {
            foreach (var header in Encoding.UTF8.GetString(uri.Headers).Split('&'))
            {
                var equals = header.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0 && header[..equals].Equals("Replaces", StringComparison.OrdinalIgnoreCase))
                {
                    if (!ReplacedDialog.TryParse(Uri.UnescapeDataString(header[(equals + 1)..]), out replaces))
                    {
                        return false;
                    }
                }
            }
        }

        target = new ReferTarget(Encoding.UTF8.GetString(uri.User), replaces);
        return true;
    }
}
