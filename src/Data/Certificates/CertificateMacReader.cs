using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Devices;

namespace HostedPbx.Data.Certificates;

/// <summary>
/// Reads the handset's MAC from a client certificate at the place its trust anchor names.
/// A value counts when it is, in full, a MAC in a form <see cref="MacAddress.TryParse(ReadOnlySpan{char}, out MacAddress)"/>
/// accepts, an RFC 9039 <c>urn:dev:mac:</c> URN, or Cisco's <c>SEP</c> + 12 hex digits (optionally after a
/// <c>model-</c> prefix). Values that are not MACs are skipped; if the location holds two different MACs the
/// certificate is ambiguous and nothing is read. Multi-valued RDNs are not looked into.
/// </summary>
public static class CertificateMacReader
{
    private const string CommonNameOid = "2.5.4.3";
    private const string SerialNumberOid = "2.5.4.5";
    private const string OrganizationalUnitOid = "2.5.4.11";
    private const string SubjectAltNameOid = "2.5.29.17";

    // RFC 5280 §4.2.1.6: GeneralName ::= CHOICE { ... dNSName [2] IA5String, ... uniformResourceIdentifier [6] IA5String ... }
    private static readonly Asn1Tag s_dnsNameTag = new(TagClass.ContextSpecific, 2);
    private static readonly Asn1Tag s_uriTag = new(TagClass.ContextSpecific, 6);

    public static bool TryRead(X509Certificate2 certificate, MacLocation location, out MacAddress mac)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var values = location switch
        {
            MacLocation.SubjectCommonName => SubjectValues(certificate, CommonNameOid),
            MacLocation.SubjectSerialNumber => SubjectValues(certificate, SerialNumberOid),
            MacLocation.SubjectOrganizationalUnit => SubjectValues(certificate, OrganizationalUnitOid),
            MacLocation.SanUri => SubjectAltNames(certificate, s_uriTag),
            MacLocation.SanDnsName => SubjectAltNames(certificate, s_dnsNameTag),
            _ => throw new ArgumentOutOfRangeException(nameof(location), location, "Unknown MAC location."),
        };

        MacAddress? found = null;
        foreach (var value in values)
        {
            if (!TryParseValue(value, out var candidate))
            {
                continue;
            }

            if (found is { } earlier && earlier != candidate)
            {
                mac = default;
                return false;
            }

            found = candidate;
        }

        mac = found.GetValueOrDefault();
        return found is not null;
    }

    internal static bool TryParseValue(ReadOnlySpan<char> value, out MacAddress mac)
    {
        if (MacAddress.TryParse(value, out mac) || MacAddress.TryParseUrn(value, out mac))
        {
            return true;
        }

        // Cisco: "SEP001565AABBCC", or with the model in front, "CP-7975G-SEP001565AABBCC".
        const int CiscoLength = 15;
        if (value.Length >= CiscoLength
            && value[^CiscoLength..].StartsWith("SEP", StringComparison.OrdinalIgnoreCase)
            && (value.Length == CiscoLength || value[^(CiscoLength + 1)] == '-'))
        {
            return MacAddress.TryParse(value[^12..], out mac);
        }

        mac = default;
        return false;
    }

    private static List<string> SubjectValues(X509Certificate2 certificate, string oid)
    {
        var values = new List<string>();
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == oid && rdn.GetSingleElementValue() is { } value)
            {
                values.Add(value);
            }
        }

        return values;
    }

    /// <summary>The certificate's SAN URIs (a switch node's role is one, <see cref="NodeCertificate"/>).</summary>
    internal static List<string> SubjectAltNameUris(X509Certificate2 certificate) => SubjectAltNames(certificate, s_uriTag);

    private static List<string> SubjectAltNames(X509Certificate2 certificate, Asn1Tag tag)
    {
        var values = new List<string>();
        var extension = certificate.Extensions[SubjectAltNameOid];
        if (extension is null)
        {
            return values;
        }

        try
        {
            var names = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            while (names.HasData)
            {
                if (names.PeekTag() == tag)
                {
                    values.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException)
        {
            // A malformed SAN carries no MAC we could trust.
            values.Clear();
        }

        return values;
    }
}
