namespace HostedPbx.Data.Entities;

/// <summary>How a device certificate came to be on record.</summary>
public enum CertificateSource
{
    Issued,
    Uploaded,
}
