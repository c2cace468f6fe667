using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HostedPbx.Provisioning.Features.Vendors;

// Checks and escapes the values the templates write, so that no value can add a key, a line or an element.
internal static class ConfigValue
{
    // Refuses control characters (CR and LF among them): in a key=value file they would start a new key.
    public static string SingleLine(string value, string what)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException($"The {what} contains a control character, which this format cannot carry.", what);
            }
        }

        return value;
    }

    // An extension number goes into SIP URIs and key names: letters, digits and + * . _ - only
    // (RFC 3261 §25.1 user = unreserved characters, a safe subset that needs no escaping).
    public static string UserPart(string number)
    {
        ArgumentNullException.ThrowIfNull(number);
        if (number.Length == 0 || !number.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '*' or '.' or '_' or '-'))
        {
            throw new ArgumentException($"'{number}' is not usable as the user part of a SIP URI.", nameof(number));
        }

        return number;
    }

    // A host name, IPv4 literal or bracketed IPv6 literal (RFC 3261 §25.1 host).
    public static string Host(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var bracketed = host.Length > 2 && host[0] == '[' && host[^1] == ']';
        var body = bracketed ? host[1..^1] : host;
        var valid = body.Length > 0 && body.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' || (bracketed && c == ':'));
        return valid ? host : throw new ArgumentException($"'{host}' is not a host name or IP literal.", nameof(host));
    }

    public static string HostPort(HandsetConfigModel model) =>
        string.Create(CultureInfo.InvariantCulture, $"{Host(model.SwitchHost)}:{Port(model.SwitchPort)}");

    // The backup switch as host and port, or null when the model names none.
    public static (string Host, int Port)? Backup(HandsetConfigModel model) =>
        model.BackupSwitchHost is { } host ? (Host(host), Port(model.BackupSwitchPort ?? model.SwitchPort)) : null;

    public static string BackupHostPort((string Host, int Port) backup) =>
        string.Create(CultureInfo.InvariantCulture, $"{backup.Host}:{backup.Port}");

    public static int Port(int port) =>
        port is > 0 and <= 65535 ? port : throw new ArgumentOutOfRangeException(nameof(port), port, "A TCP port is 1-65535.");

    // The lines in order, positions 1..n without gaps, at most maxLines.
    public static IReadOnlyList<HandsetLine> Lines(HandsetConfigModel model, int maxLines)
    {
        var lines = model.Lines;
        if (lines.Count == 0 || lines.Count > maxLines)
        {
            throw new ArgumentException($"This template writes 1 to {maxLines} lines; the model has {lines.Count}.", nameof(model));
        }

        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Position != i + 1)
            {
                throw new ArgumentException("Lines must be in order with positions 1..n and no gaps.", nameof(model));
            }

            UserPart(lines[i].Number);
        }

        return lines;
    }

    public static Uri CaUrl(HandsetConfigModel model) =>
        model.SwitchCaUrl is { IsAbsoluteUri: true, Scheme: "https" } url
            ? url
            : throw new ArgumentException("This vendor fetches its trust anchor: SwitchCaUrl must be an absolute https URL.", nameof(model));

    // XML 1.0 §2.4 character data: & and < are escaped, and > too so that ]]> cannot appear.
    public static string XmlText(string value) => Xml(value, attribute: false);

    // XML 1.0 §3.3.3 normalizes white space in attribute values, so TAB, LF and CR are written as character references
    // to keep them (a PEM certificate keeps its line breaks).
    public static string XmlAttribute(string value) => Xml(value, attribute: true);

    // The DER of the first certificate in pem, base64 in one line (RFC 7468 §2 textual encoding).
    public static string CertificateBase64(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (!PemEncoding.TryFind(pem, out var fields) || !pem.AsSpan()[fields.Label].SequenceEqual("CERTIFICATE"))
        {
            throw new ArgumentException("The switch's trust anchor is not a PEM certificate.", nameof(pem));
        }

        return Convert.ToBase64String(Convert.FromBase64String(pem[fields.Base64Data]));
    }

    // The PEM certificate alone, LF line ends, no trailing line break: what inline CA settings take.
    public static string CertificatePem(string pem) =>
        new string(PemEncoding.Write("CERTIFICATE", Convert.FromBase64String(CertificateBase64(pem)))).Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string Xml(string value, bool attribute)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            // XML 1.0 §2.2: Char excludes the C0 controls other than TAB, LF and CR, and U+FFFE/U+FFFF.
            if ((c < 0x20 && c is not ('\t' or '\n' or '\r')) || c is '\uFFFE' or '\uFFFF')
            {
                throw new ArgumentException("The value contains a character XML 1.0 cannot carry.", nameof(value));
            }

            var escaped = c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' when attribute => "&quot;",
                '\t' when attribute => "&#9;",
                '\n' when attribute => "&#10;",
                '\r' => "&#13;",
                _ => null,
            };
            _ = escaped is null ? builder.Append(c) : builder.Append(escaped);
        }

        return builder.ToString();
    }
}
