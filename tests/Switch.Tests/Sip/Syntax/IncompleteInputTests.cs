using System.Buffers;
using System.Text;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Tests.Sip.Support;

namespace HostedPbx.Switch.Tests.Sip.Syntax;

/// <summary>Every proper prefix of a valid message must return NeedMoreData, consume nothing and report nothing.</summary>
public sealed class IncompleteInputTests
{
    public static TheoryData<string> ValidMessages()
    {
        var data = new TheoryData<string> { "invite", "options", "ringing", "crlf-options" };
        foreach (var name in new[] { "wsinv", "esc01", "longreq", "mpart01", "unreason", "intmeth", "semiuri", "transports" })
        {
            data.Add("rfc4475/" + name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ValidMessages))]
    public void TryParse_EveryPrefix_NeedsMoreDataAndConsumesNothing(string name)
    {
        var bytes = Load(name);
        var parser = new SipParser(SipFraming.Stream);
        for (var length = 0; length < bytes.Length; length++)
        {
            var handler = new CountingHandler();
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes, 0, length));

            var status = parser.TryParse(ref reader, handler, out var reason);

            Assert.True(status == OperationStatus.NeedMoreData, $"prefix {length}: {status} {reason}");
            Assert.Equal(0, reader.Consumed);
            Assert.Equal(0, handler.Calls);
        }

        var complete = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        Assert.Equal(OperationStatus.Done, parser.TryParse(ref complete, new CountingHandler(), out _));
        Assert.Equal(bytes.Length, complete.Consumed);
    }

    private static byte[] Load(string name) => name switch
    {
        "invite" => Encoding.UTF8.GetBytes(TestMessages.Invite),
        "options" => Encoding.UTF8.GetBytes(TestMessages.Options),
        "ringing" => Encoding.UTF8.GetBytes(TestMessages.Ringing),
        "crlf-options" => Encoding.UTF8.GetBytes("\r\n" + TestMessages.Options),
        _ => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", name + ".dat")),
    };
}
