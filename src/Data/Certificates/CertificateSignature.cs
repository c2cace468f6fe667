using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BouncyCastleCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace HostedPbx.Data.Certificates;

/// <summary>
/// Checks one link of a chain by hand: X509Chain on Linux does not accept a non-self-signed anchor as a root (the
/// platform's device CA is one), so the switch runs this for nearly every handset's handshake. The BCL has no "verify
/// this certificate's signature with that key" call; the certificate is split with the BCL's ASN.1 reader and the
/// common algorithms are verified by the BCL (OpenSSL, about a tenth of BouncyCastle's managed arithmetic for an ECDSA
/// link); BouncyCastle checks any other algorithm (RSA-PSS, EdDSA, SHA-1).
/// </summary>
internal static class CertificateSignature
{
    public static bool IsSignedBy(X509Certificate2 child, X509Certificate2 parent)
    {
        try
        {
            if (!TryRead(child.RawDataMemory, out var signed, out var algorithm, out var signature))
            {
                return false;
            }

            return algorithm switch
            {
                "1.2.840.10045.4.3.2" => VerifyEcdsa(parent, signed, signature, HashAlgorithmName.SHA256),
                "1.2.840.10045.4.3.3" => VerifyEcdsa(parent, signed, signature, HashAlgorithmName.SHA384),
                "1.2.840.10045.4.3.4" => VerifyEcdsa(parent, signed, signature, HashAlgorithmName.SHA512),
                "1.2.840.113549.1.1.11" => VerifyRsa(parent, signed, signature, HashAlgorithmName.SHA256),
                "1.2.840.113549.1.1.12" => VerifyRsa(parent, signed, signature, HashAlgorithmName.SHA384),
                "1.2.840.113549.1.1.13" => VerifyRsa(parent, signed, signature, HashAlgorithmName.SHA512),
                _ => WithBouncyCastle(child, parent),
            };
        }
        catch (Exception ex) when (ex is AsnContentException or CryptographicException)
        {
            return false;
        }
    }

    /// <summary>
    /// RFC 5280 §4.1: Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }; the
    /// algorithm inside the signed part (§4.1.2.3) must be the outer one, parameters included.
    /// </summary>
    private static bool TryRead(ReadOnlyMemory<byte> der, out ReadOnlyMemory<byte> signed, out string algorithm, out byte[] signature)
    {
        var certificate = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        signed = certificate.ReadEncodedValue();
        var outer = certificate.ReadEncodedValue();
        signature = certificate.ReadBitString(out var unused);
        var tbs = new AsnReader(signed, AsnEncodingRules.DER).ReadSequence();
        if (tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
        {
            tbs.ReadEncodedValue();
        }

        tbs.ReadEncodedValue();
        var inner = tbs.ReadEncodedValue();
        algorithm = new AsnReader(outer, AsnEncodingRules.DER).ReadSequence().ReadObjectIdentifier();
        return unused == 0 && !certificate.HasData && inner.Span.SequenceEqual(outer.Span);
    }

    private static bool VerifyEcdsa(X509Certificate2 parent, ReadOnlyMemory<byte> signed, byte[] signature, HashAlgorithmName hash)
    {
        using var key = parent.GetECDsaPublicKey();
        return key is not null && key.VerifyData(signed.Span, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
    }

    private static bool VerifyRsa(X509Certificate2 parent, ReadOnlyMemory<byte> signed, byte[] signature, HashAlgorithmName hash)
    {
        using var key = parent.GetRSAPublicKey();
        return key is not null && key.VerifyData(signed.Span, signature, hash, RSASignaturePadding.Pkcs1);
    }

    private static bool WithBouncyCastle(X509Certificate2 child, X509Certificate2 parent)
    {
        try
        {
            var parentKey = new BouncyCastleCertificate(parent.RawData).GetPublicKey();
            return new BouncyCastleCertificate(child.RawData).IsSignatureValid(parentKey);
        }
        catch (Exception ex) when (ex is Org.BouncyCastle.Security.GeneralSecurityException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
