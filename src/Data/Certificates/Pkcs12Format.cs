namespace HostedPbx.Data.Certificates;

public enum Pkcs12Format
{
    /// <summary>PBES2 with AES-256-CBC and HMAC-SHA256, MAC over SHA-256.</summary>
    Modern,

    /// <summary>pbeWithSHAAnd3-KeyTripleDES-CBC and a SHA-1 MAC: what older handsets can import.</summary>
    Legacy,
}
