namespace HostedPbx.Data.Entities;

/// <summary>Where a certificate issued under an anchor carries the handset's MAC.</summary>
public enum MacLocation
{
    SanUri,
    SubjectCommonName,
    SubjectSerialNumber,
    SanDnsName,
    SubjectOrganizationalUnit,
}
