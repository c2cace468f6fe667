using System.Text;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;

namespace HostedPbx.Switch.EndToEndTests.Identity;

/// <summary>
/// Found by attack: a 488 whose reason phrase was built from the offer came back as a 189,044-character status line,
/// with NUL bytes and "%n" in it. Through the running switch, the answer's status line is now short and clean.
/// </summary>
public sealed class HostileOfferTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Invite_OfferWithA63KbMediaLineNulsAndFormatStrings_RefusedWithAShortCleanStatusLine()
    {
        await using var sut = await SwitchUnderTest.StartAsync(database, _cancel);
        await using var callee = await HandsetConnection.OpenAsync(sut, sut.DeviceCertificate("202"), _cancel);
        Assert.Equal(200, await callee.RegisterAsync("202", sut.SipPort, _cancel));
        await using var caller = await HandsetConnection.OpenAsync(sut, sut.DeviceCertificate("201"), _cancel);
        var offer = Encoding.Latin1.GetBytes(
            "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            // The media protocol is the part of the m= line a refusal names: 63 KB of it, with NULs and format strings.
            + ("m=audio 4000 RTP/SAVP" + string.Concat(Enumerable.Repeat("%n%s\0", 63 * 1024 / 5)))[..(63 * 1024 - 2)] + " 0\r\n"
            + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n");

        var answer = await caller.InviteAsync("201", "202", sut.SipPort, offer, _cancel);

        Assert.NotNull(answer);
        var statusLine = answer[..answer.IndexOf("\r\n", StringComparison.Ordinal)];
        Assert.Matches("^SIP/2.0 4[0-9][0-9] ", statusLine);
        Assert.True(statusLine.Length <= 100, $"a status line of {statusLine.Length} characters\n" + statusLine[..Math.Min(200, statusLine.Length)]);
        Assert.All(statusLine, c => Assert.InRange(c, ' ', '~'));
        Assert.DoesNotContain("%n", statusLine, StringComparison.Ordinal);
        TestContext.Current.TestOutputHelper?.WriteLine(statusLine);
    }
}
