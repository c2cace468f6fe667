namespace HostedPbx.Data.Certificates;

/// <summary>How a handset's certificate and key are delivered.</summary>
public enum DownloadFormat
{
    /// <summary>Certificate, chain and key in one PEM (what baresip and most softphones take).</summary>
    Pem,

    /// <summary>PKCS#12 with AES-256 and SHA-256.</summary>
    Pkcs12,

    /// <summary>PKCS#12 with 3DES and SHA-1, for handsets that cannot read the modern form.</summary>
    Pkcs12Legacy,
}
