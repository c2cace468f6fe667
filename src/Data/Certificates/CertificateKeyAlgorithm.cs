namespace HostedPbx.Data.Certificates;

public enum CertificateKeyAlgorithm
{
    EcdsaP256,
    EcdsaP384,
    Rsa2048,
}
