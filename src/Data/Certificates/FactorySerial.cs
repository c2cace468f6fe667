namespace HostedPbx.Data.Certificates;

/// <summary>A certificate serial number as a person copies it from a box label or a certificate viewer.</summary>
public static class FactorySerial
{
    /// <summary>
    /// Lowercase hex without separators or leading zeros (<c>0A:1B:2C</c> and <c>a1b2c</c> are the same serial);
    /// null when the text is not a serial number (RFC 5280 §4.1.2.2: at most 20 octets).
    /// </summary>
    public static string? Normalize(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var hex = new string([.. text.Where(c => c is not (':' or ' ' or '-'))]).ToLowerInvariant().TrimStart('0');
        return hex.Length is > 0 and <= 40 && hex.All(char.IsAsciiHexDigit) ? hex : null;
    }
}
