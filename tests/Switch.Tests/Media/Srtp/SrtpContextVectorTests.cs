using System.Globalization;
using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Tests.Media.Srtp;

/// <summary>
/// Whole packets from RFC 7714 §16-17 (AES-GCM) and libSRTP's reference packets (AES-CM), both directions, through
/// libcrypto called directly (what the switch runs) and through the BCL (what it runs where libcrypto 3 is missing).
/// </summary>
public sealed class SrtpContextVectorTests
{
    public static TheoryData<string, string, bool> Vectors() => Select(includeReceiveOnly: true);

    public static TheoryData<string, string, bool> SentVectors() => Select(includeReceiveOnly: false);

    [Fact]
    public void OpenSsl_OnThisMachine_IsWhatContextsUse()
    {
        Assert.True(LibCrypto.IsAvailable, "libcrypto.so.3 did not load: the switch would fall back to the BCL's slower SRTP");
        using var context = new SrtpContext(SrtpSuite.AesCm128HmacSha1Tag80, SrtpKeys.Generate(SrtpSuite.AesCm128HmacSha1Tag80));
        Assert.True(context.UsesOpenSsl);
    }

    private static TheoryData<string, string, bool> Select(bool includeReceiveOnly)
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var file in new[] { "aead-gcm.txt", "aes-cm-packets.txt" })
        {
            foreach (var vector in VectorFile.Read(file))
            {
                if (includeReceiveOnly || !vector.ContainsKey("receive-only"))
                {
                    data.Add(file, vector["source"], true);
                    data.Add(file, vector["source"], false);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SentVectors))]
    public void Protect_PlainPacket_MatchesPublishedPacket(string file, string source, bool openSsl)
    {
        var vector = VectorFile.Find(file, source);
        var plain = vector.Hex("plain");
        var expected = vector.Hex("protected");
        using var context = CreateContext(vector, openSsl);
        var buffer = new byte[expected.Length];

        var status = SrtpStatus.Ok;
        var length = 0;
        for (var sent = 0; sent <= SrtcpIndex(vector); sent++)
        {
            // The sender numbers SRTCP packets from 0: send the earlier ones so the last carries the vector's index.
            plain.CopyTo(buffer, 0);
            status = IsRtcp(vector)
                ? context.ProtectRtcp(buffer, plain.Length, out length)
                : context.ProtectRtp(buffer, plain.Length, out length);
        }

        Assert.Equal(SrtpStatus.Ok, status);
        Assert.Equal(expected.Length, length);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(buffer));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Unprotect_PublishedPacket_ReturnsPlainPacket(string file, string source, bool openSsl)
    {
        var vector = VectorFile.Find(file, source);
        var packet = vector.Hex("protected");
        using var context = CreateContext(vector, openSsl);

        var status = IsRtcp(vector) ? context.UnprotectRtcp(packet, out var length) : context.UnprotectRtp(packet, out length);

        Assert.Equal(SrtpStatus.Ok, status);
        Assert.Equal(Convert.ToHexString(vector.Hex("plain")), Convert.ToHexString(packet.AsSpan(0, length)));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Unprotect_FlippedTagBit_FailsAndLeavesPacketUnchanged(string file, string source, bool openSsl)
    {
        var vector = VectorFile.Find(file, source);
        var packet = vector.Hex("protected");
        // The tag ends the SRTP packet; in AEAD SRTCP it sits before the 4-octet E||index, in AES-CM SRTCP after it.
        var tagEnd = IsRtcp(vector) && vector["suite"].StartsWith("Aead", StringComparison.Ordinal) ? packet.Length - 4 : packet.Length;
        packet[tagEnd - 1] ^= 0x01;
        var tampered = packet.ToArray();
        using var context = CreateContext(vector, openSsl);

        var status = IsRtcp(vector) ? context.UnprotectRtcp(packet, out _) : context.UnprotectRtp(packet, out _);

        Assert.Equal(SrtpStatus.AuthFailed, status);
        Assert.Equal(tampered, packet);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Unprotect_FlippedPayloadBit_Fails(string file, string source, bool openSsl)
    {
        var vector = VectorFile.Find(file, source);
        var packet = vector.Hex("protected");
        packet[20] ^= 0x80;
        var trailer = packet[^4..];
        if (IsRtcp(vector) && vector.ContainsKey("receive-only"))
        {
            // Without encryption the payload is still authenticated; the E flag stays clear.
            Assert.Equal(0, trailer[0] & 0x80);
        }
        using var context = CreateContext(vector, openSsl);

        var status = IsRtcp(vector) ? context.UnprotectRtcp(packet, out _) : context.UnprotectRtp(packet, out _);

        Assert.Equal(SrtpStatus.AuthFailed, status);
    }

    private static bool IsRtcp(Dictionary<string, string> vector) => vector["kind"] == "srtcp";

    private static int SrtcpIndex(Dictionary<string, string> vector) =>
        vector.TryGetValue("srtcp-index", out var index) ? int.Parse(index, NumberStyles.HexNumber, CultureInfo.InvariantCulture) : 0;

    private static SrtpContext CreateContext(Dictionary<string, string> vector, bool openSsl)
    {
        var suite = Enum.Parse<SrtpSuite>(vector["suite"]);
        if (vector.ContainsKey("master-key"))
        {
            return new SrtpContext(suite, new SrtpKeys(vector.Hex("master-key"), vector.Hex("master-salt")), openSsl);
        }

        // RFC 7714's vectors start from the session key and salt.
        var session = new SrtpSessionKeys(vector.Hex("key"), vector.Hex("salt"), []);
        return new SrtpContext(suite, session, session, openSsl);
    }
}
