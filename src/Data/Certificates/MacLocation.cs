namespace HostedPbx.Data.Certificates;

/// <summary>Where a certificate carries the handset's MAC; recorded per trust anchor, since each vendor has its habit.</summary>
public enum MacLocation
{
    /// <summary>SAN URI <c>urn:dev:mac:0015651a2b3c</c> (RFC 9039; platform certificates).</summary>
    SanUri,

    /// <summary>Subject CN, e.g. <c>CN=0015651a2b3c</c> (platform certificates, Yealink, Polycom).</summary>
    SubjectCommonName,

    /// <summary>Subject serialNumber attribute (OID 2.5.4.5).</summary>
    SubjectSerialNumber,

    /// <summary>A SAN dNSName that is the bare MAC.</summary>
    SanDnsName,

    /// <summary>Subject OU.</summary>
    SubjectOrganizationalUnit,
}
