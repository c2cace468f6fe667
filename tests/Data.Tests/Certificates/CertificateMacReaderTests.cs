using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Devices;
using HostedPbx.Data.Tests.Certificates.Support;

namespace HostedPbx.Data.Tests.Certificates;

public sealed class CertificateMacReaderTests
{
    private static readonly MacAddress s_mac = MacAddress.Parse("001565aabbcc");

    [Fact]
    public void TryRead_PlatformCertificate_FindsMacInCommonNameAndSanUri()
    {
        using var pki = new TestPki();
        using var device = pki.Issuer.IssueDevice(pki.DeviceCa, TestPki.Mac);

        Assert.True(CertificateMacReader.TryRead(device.Certificate, MacLocation.SubjectCommonName, out var fromCn));
        Assert.True(CertificateMacReader.TryRead(device.Certificate, MacLocation.SanUri, out var fromUri));
        Assert.Equal(TestPki.Mac, fromCn);
        Assert.Equal(TestPki.Mac, fromUri);
        Assert.False(CertificateMacReader.TryRead(device.Certificate, MacLocation.SanDnsName, out _));
        Assert.False(CertificateMacReader.TryRead(device.Certificate, MacLocation.SubjectSerialNumber, out _));
        Assert.False(CertificateMacReader.TryRead(device.Certificate, MacLocation.SubjectOrganizationalUnit, out _));
    }

    [Theory]
    [InlineData("001565AABBCC")]
    [InlineData("001565aabbcc")]
    [InlineData("00:15:65:AA:BB:CC")]
    [InlineData("00-15-65-aa-bb-cc")]
    [InlineData("0015.65aa.bbcc")]
    [InlineData("SEP001565AABBCC")]
    [InlineData("sep001565aabbcc")]
    [InlineData("CP-7975G-SEP001565AABBCC")]
    [InlineData("urn:dev:mac:001565aabbcc")]
    public void TryRead_VendorCommonName_Accepted(string commonName)
    {
        using var certificate = Create(b => b.AddCommonName(commonName));
        Assert.True(CertificateMacReader.TryRead(certificate, MacLocation.SubjectCommonName, out var mac));
        Assert.Equal(s_mac, mac);
    }

    [Theory]
    [InlineData("Yealink 001565AABBCC")]
    [InlineData("001565AABBCC.yealink.com")]
    [InlineData("MAC:001565AABBCC")]
    [InlineData("001565AABBCC0")]
    [InlineData("XSEP001565AABBCC")]
    [InlineData("SEP-001565AABBCC")]
    [InlineData("SEP00:15:65:AA:BB:CC")]
    [InlineData("SEP001565AABBC")]
    public void TryRead_CommonNameNotJustAMac_Refused(string commonName)
    {
        using var certificate = Create(b => b.AddCommonName(commonName));
        Assert.False(CertificateMacReader.TryRead(certificate, MacLocation.SubjectCommonName, out _));
    }

    [Fact]
    public void TryRead_SubjectSerialNumberAndOrganizationalUnit_Found()
    {
        using var certificate = Create(b =>
        {
            b.AddCommonName("Polycom VVX");
            b.AddOrganizationalUnitName("00:15:65:aa:bb:cc");
            b.Add("2.5.4.5", "001565AABBCC", UniversalTagNumber.PrintableString);
        });

        Assert.True(CertificateMacReader.TryRead(certificate, MacLocation.SubjectSerialNumber, out var fromSerial));
        Assert.True(CertificateMacReader.TryRead(certificate, MacLocation.SubjectOrganizationalUnit, out var fromUnit));
        Assert.Equal(s_mac, fromSerial);
        Assert.Equal(s_mac, fromUnit);
        Assert.False(CertificateMacReader.TryRead(certificate, MacLocation.SubjectCommonName, out _));
    }

    [Fact]
    public void TryRead_SanDnsNameAmongOthers_Found()
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("phone.example.test");
        names.AddDnsName("001565aabbcc");
        names.AddUri(new Uri("https://example.test/device"));
        using var certificate = Create(b => b.AddCommonName("phone"), names.Build());

        Assert.True(CertificateMacReader.TryRead(certificate, MacLocation.SanDnsName, out var mac));
        Assert.Equal(s_mac, mac);
        Assert.False(CertificateMacReader.TryRead(certificate, MacLocation.SanUri, out _));
    }

    [Fact]
    public void TryRead_TwoDifferentMacs_RefusedAsAmbiguous()
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(new Uri("urn:dev:mac:001565aabbcc"));
        names.AddUri(new Uri("urn:dev:mac:001565aabbcd"));
        using var certificate = Create(b =>
        {
            b.AddCommonName("001565aabbcc");
            b.AddCommonName("001565aabbcd");
        }, names.Build());

        Assert.False(CertificateMacReader.TryRead(certificate, MacLocation.SubjectCommonName, out _));
        Assert.False(CertificateMacReader.TryRead(certificate, MacLocation.SanUri, out _));
    }

    [Fact]
    public void TryRead_SameMacTwiceInTwoSpellings_Found()
    {
        using var certificate = Create(b =>
        {
            b.AddCommonName("001565aabbcc");
            b.AddCommonName("SEP001565AABBCC");
        });

        Assert.True(CertificateMacReader.TryRead(certificate, MacLocation.SubjectCommonName, out var mac));
        Assert.Equal(s_mac, mac);
    }

    [Fact]
    public void Sha256Fingerprint_Always_IsLowercaseHexOfDer()
    {
        using var certificate = Create(b => b.AddCommonName("001565aabbcc"));
        var fingerprint = CertificateIdentity.Sha256Fingerprint(certificate);

        Assert.Equal(Convert.ToHexString(SHA256.HashData(certificate.RawData)).ToLowerInvariant(), fingerprint);
        Assert.Matches("^[0-9a-f]{64}$", fingerprint);
    }

    private static X509Certificate2 Create(Action<X500DistinguishedNameBuilder> subject, X509Extension? extension = null)
    {
        var builder = new X500DistinguishedNameBuilder();
        subject(builder);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(builder.Build(), key, HashAlgorithmName.SHA256);
        if (extension is not null)
        {
            request.CertificateExtensions.Add(extension);
        }

        return request.CreateSelfSigned(TestPki.Start, TestPki.Start.AddDays(1));
    }
}
