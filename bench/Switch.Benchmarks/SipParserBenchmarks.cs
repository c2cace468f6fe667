using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Benchmarks;

/// <summary>Parsing cost of a typical INVITE: validation only (no model), and into a pooled <see cref="SipMessage"/>.</summary>
[MemoryDiagnoser]
public class SipParserBenchmarks
{
    private const string Invite =
        "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n" +
        "Via: SIP/2.0/TLS client.atlanta.example.com:5061;branch=z9hG4bK74bf9;rport\r\n" +
        "Max-Forwards: 70\r\n" +
        "From: \"Alice\" <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n" +
        "To: Bob <sip:bob@biloxi.example.com>\r\n" +
        "Call-ID: 3848276298220188511@atlanta.example.com\r\n" +
        "CSeq: 1 INVITE\r\n" +
        "Contact: <sips:alice@client.atlanta.example.com;transport=tls>\r\n" +
        "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE\r\n" +
        "Supported: replaces, timer\r\n" +
        "User-Agent: Benchmark/1.0\r\n" +
        "Content-Type: application/sdp\r\n" +
        "Content-Length: 137\r\n" +
        "\r\n" +
        "v=0\r\no=alice 2890844526 2890844526 IN IP4 192.0.2.101\r\ns=-\r\nc=IN IP4 192.0.2.101\r\nt=0 0\r\n" +
        "m=audio 49172 RTP/SAVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    private readonly SipParser _parser = new(SipFraming.Stream);
    private readonly SipMessageBuilder _builder = new();
    private readonly NullHandler _nullHandler = new();
    private ReadOnlySequence<byte> _input;

    [GlobalSetup]
    public void Setup() => _input = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(Invite));

    [Benchmark(Baseline = true)]
    public OperationStatus ParseOnly()
    {
        var reader = new SequenceReader<byte>(_input);
        return _parser.TryParse(ref reader, _nullHandler, out _);
    }

    [Benchmark]
    public int ParseToMessage()
    {
        var reader = new SequenceReader<byte>(_input);
        _parser.TryParse(ref reader, _builder, out _);
        using var message = _builder.TakeMessage()!;
        return message.HeaderCount;
    }

    private sealed class NullHandler : ISipMessageHandler
    {
        public void OnMessageBegin(int length)
        {
        }

        public void OnRequestLine(ReadOnlySpan<byte> method, ReadOnlySpan<byte> requestUri)
        {
        }

        public void OnStatusLine(int statusCode, ReadOnlySpan<byte> reasonPhrase)
        {
        }

        public void OnHeader(KnownHeader header, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
        {
        }

        public void OnBody(ReadOnlySpan<byte> body)
        {
        }

        public void OnMessageEnd()
        {
        }

        public void OnKeepAlive()
        {
        }
    }
}
