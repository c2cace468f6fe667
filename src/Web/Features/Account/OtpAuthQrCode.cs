using QRCoder;

namespace HostedPbx.Web.Features.Account;

/// <summary>The enrolment's <c>otpauth://</c> URI as a QR code an authenticator app scans: a PNG, served inline as a data URI.</summary>
internal static class OtpAuthQrCode
{
    public static byte[] Png(string uri)
    {
        using var generator = new QRCodeGenerator();
        // Level M (15 % recovery) is what authenticator enrolment codes commonly use; 6 pixels a module reads well on screen.
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(6);
    }

    public static string DataUri(string uri) => "data:image/png;base64," + Convert.ToBase64String(Png(uri));
}
