using System.Globalization;
using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Tests.Media.Srtp;

public sealed class AesCounterModeTests
{
    private const string File = "aes-cm-keystream.txt";

    public static TheoryData<string> Vectors => VectorFile.Sources(File);

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Transform_ZeroSegment_ProducesPublishedKeystreamBlocks(string source)
    {
        var vector = VectorFile.Find(File, source);
        var blocks = vector.Where(field => field.Key.StartsWith("block-", StringComparison.Ordinal))
            .Select(field => (Number: int.Parse(field.Key["block-".Length..], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                Expected: Convert.FromHexString(field.Value)))
            .ToList();
        var keystream = new byte[(blocks.Max(block => block.Number) + 1) * AesCounterMode.BlockSize];

        using var cipher = new AesCounterMode(vector.Hex("key"));
        cipher.Transform(vector.Hex("iv"), keystream);

        foreach (var (number, expected) in blocks)
        {
            Assert.Equal(expected, keystream.AsSpan(number * AesCounterMode.BlockSize, AesCounterMode.BlockSize).ToArray());
        }
    }

    [Fact]
    public void Transform_PartialLastBlock_MatchesPrefixOfWholeBlocks()
    {
        var key = new byte[16];
        var iv = new byte[16];
        var whole = new byte[48];
        var partial = new byte[37];
        using var cipher = new AesCounterMode(key);

        cipher.Transform(iv, whole);
        cipher.Transform(iv, partial);

        Assert.Equal(whole[..37], partial);
    }
}
