using System.Buffers;
using System.Text;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Tests.Sip.Support;

namespace HostedPbx.Switch.Tests.Sip.Syntax;

public sealed class SipParserTests
{
    [Fact]
    public void TryParse_Invite_ReportsStartLineHeadersAndBody()
    {
        var result = ParseResult.Parse(TestMessages.Invite);

        Assert.Equal(OperationStatus.Done, result.Status);
        Assert.Equal(TestMessages.Invite.Length, result.Consumed);
        using var request = result.Request;
        Assert.Equal(SipMethod.Invite, request.Method);
        Assert.Equal("sip:bob@biloxi.example.com"u8, request.RequestUri);
        Assert.Equal("3848276298220188511@atlanta.example.com", request.CallId);
        Assert.Equal("9fxced76sl", request.FromTag);
        Assert.Equal(string.Empty, request.ToTag);
        Assert.Equal("v=0\r\ns=-\r\n"u8, request.Body);
        Assert.True(request.TryGetTopVia(out var via));
        Assert.Equal("z9hG4bK74bf9"u8, via.Branch);
        Assert.Equal("TLS"u8, via.Transport);
        Assert.Equal(5061, via.Port);
        Assert.True(via.HasRport);
        Assert.Equal("INVITE sip:bob@biloxi.example.com", request.ToString());
    }

    [Fact]
    public void TryParse_Response_ReportsStatusLine()
    {
        using var response = ParseResult.Parse(TestMessages.Ringing).Response;

        Assert.Equal(180, response.StatusCode);
        Assert.Equal("Ringing"u8, response.ReasonPhrase);
        Assert.True(response.IsProvisional);
        Assert.Equal("8321234356", response.ToTag);
        Assert.Equal("180 Ringing", response.ToString());
    }

    [Theory]
    [InlineData("i", KnownHeader.CallId)]
    [InlineData("m", KnownHeader.Contact)]
    [InlineData("e", KnownHeader.ContentEncoding)]
    [InlineData("l", KnownHeader.ContentLength)]
    [InlineData("c", KnownHeader.ContentType)]
    [InlineData("f", KnownHeader.From)]
    [InlineData("s", KnownHeader.Subject)]
    [InlineData("k", KnownHeader.Supported)]
    [InlineData("t", KnownHeader.To)]
    [InlineData("v", KnownHeader.Via)]
    [InlineData("o", KnownHeader.Event)]
    [InlineData("u", KnownHeader.AllowEvents)]
    [InlineData("r", KnownHeader.ReferTo)]
    [InlineData("b", KnownHeader.ReferredBy)]
    [InlineData("V", KnownHeader.Via)]
    [InlineData("cAlL-iD", KnownHeader.CallId)]
    [InlineData("RECORD-ROUTE", KnownHeader.RecordRoute)]
    [InlineData("X-Custom", KnownHeader.Unknown)]
    public void Lookup_CompactAndAnyCaseNames_MapToKnownHeader(string name, KnownHeader expected)
    {
        Assert.Equal(expected, KnownHeaders.Lookup(Encoding.ASCII.GetBytes(name)));
    }

    [Fact]
    public void TryParse_CompactForms_AreIndexedAsKnownHeaders()
    {
        var text = "OPTIONS sip:a@b.example SIP/2.0\r\nv: SIP/2.0/TCP h.example;branch=z9hG4bK1\r\nf: <sip:x@y.example>;tag=1\r\n" +
            "t: <sip:a@b.example>\r\ni: abc\r\nCSeq: 1 OPTIONS\r\nl: 0\r\n\r\n";

        using var request = ParseResult.Parse(text).Request;

        Assert.Equal("abc", request.CallId);
        Assert.Equal("1", request.FromTag);
        Assert.Equal(KnownHeader.Via, request.GetHeaderEntry(0).Id);
    }

    [Fact]
    public void TryParse_FoldedHeader_JoinsContinuationWithSpaces()
    {
        var text = TestMessages.Options.Replace("Max-Forwards: 70", "Subject: first\r\n second\r\n\tthird", StringComparison.Ordinal);

        using var request = ParseResult.Parse(text).Request;

        Assert.True(request.TryGetHeader(KnownHeader.Subject, out var subject));
        Assert.Equal("first   second  \tthird"u8, subject);
    }

    [Fact]
    public void GetHeaderElements_CommasInsideQuotesAndAngles_AreNotSeparators()
    {
        var text = TestMessages.Options.Replace(
            "Content-Length: 0",
            "Contact: \"Doe, John\" <sip:j@h.example;x=a>;q=0.5;p=\"x,y\", <sip:k,l@h.example>\r\nContact: sip:l@h.example\r\nContent-Length: 0",
            StringComparison.Ordinal);

        using var request = ParseResult.Parse(text).Request;

        var uris = new List<string>();
        foreach (var element in request.GetHeaderElements(KnownHeader.Contact))
        {
            Assert.True(NameAddress.TryParse(element, out var contact), Encoding.UTF8.GetString(element));
            uris.Add(Encoding.UTF8.GetString(contact.Uri));
        }

        Assert.Equal(["sip:j@h.example;x=a", "sip:k,l@h.example", "sip:l@h.example"], uris);
    }

    [Fact]
    public void TryParse_MultipleViasOnOneLine_AreSplit()
    {
        var text = TestMessages.Options.Replace(
            "Via: SIP/2.0/TCP pc33.atlanta.example.com;branch=z9hG4bKhjhs8ass877",
            "Via: SIP/2.0/TCP p1.example.com;branch=z9hG4bK1, SIP/2.0/UDP [2001:db8::9]:5070;branch=z9hG4bK2;received=192.0.2.1",
            StringComparison.Ordinal);

        using var request = ParseResult.Parse(text).Request;

        var vias = new List<string>();
        foreach (var element in request.GetHeaderElements(KnownHeader.Via))
        {
            Assert.True(ViaHeader.TryParse(element, out var via));
            vias.Add($"{Encoding.ASCII.GetString(via.Host)}:{via.Port}:{Encoding.ASCII.GetString(via.Branch)}");
        }

        Assert.Equal(["p1.example.com:-1:z9hG4bK1", "[2001:db8::9]:5070:z9hG4bK2"], vias);
    }

    [Fact]
    public void TryParse_CrlfCrlf_IsReportedAsKeepAlivePing()
    {
        var result = ParseResult.Parse("\r\n\r\n" + TestMessages.Options);

        Assert.Equal(OperationStatus.Done, result.Status);
        Assert.Equal(4, result.Consumed);
        Assert.Equal(1, result.KeepAlives);
        Assert.Null(result.Message);
    }

    [Fact]
    public void TryParse_LoneCrlfBeforeMessage_IsSkipped()
    {
        var result = ParseResult.Parse("\r\n" + TestMessages.Options);

        Assert.Equal(OperationStatus.Done, result.Status);
        Assert.Equal(TestMessages.Options.Length + 2, result.Consumed);
        Assert.Equal(0, result.KeepAlives);
        Assert.Equal(SipMethod.Options, result.Request.Method);
    }

    [Theory]
    [InlineData("\r")]
    [InlineData("\r\n")]
    [InlineData("\r\n\r")]
    public void TryParse_PartialPing_NeedsMoreData(string input)
    {
        var result = ParseResult.Parse(input);

        Assert.Equal(OperationStatus.NeedMoreData, result.Status);
        Assert.Equal(0, result.Consumed);
    }

    [Fact]
    public void TryParse_MissingContentLengthOnStream_IsFramingError()
    {
        var text = TestMessages.Options.Replace("Content-Length: 0\r\n", string.Empty, StringComparison.Ordinal);

        var result = ParseResult.Parse(text);

        Assert.Equal(OperationStatus.InvalidData, result.Status);
        Assert.Equal(SipRejectReason.MissingContentLength, result.Reason);
        Assert.Equal(0, result.Consumed);
        Assert.True(result.Reason.BreaksStreamFraming());
    }

    [Fact]
    public void TryParse_DatagramWithoutEmptyLine_IsRefusedAndDropped()
    {
        var text = "\r\nOPTIONS sip:a@b.example SIP/2.0\r\nVia: SIP/2.0/UDP h.example;branch=z9hG4bK1\r\n";

        var result = ParseResult.Parse(text, SipFraming.Datagram);

        Assert.Equal(SipRejectReason.MissingHeaderTerminator, result.Reason);
        Assert.Equal(text.Length, result.Consumed);
    }

    [Fact]
    public void TryParse_DatagramOfCrlfs_IsKeepAlive()
    {
        var result = ParseResult.Parse("\r\n\r\n\r\n", SipFraming.Datagram);

        Assert.Equal(OperationStatus.Done, result.Status);
        Assert.Equal(1, result.KeepAlives);
        Assert.Equal(6, result.Consumed);
    }

    [Fact]
    public void TryParse_ContentLengthOverLimit_IsRefusedBeforeBuffering()
    {
        var text = TestMessages.Options.Replace("Content-Length: 0", "Content-Length: 70000", StringComparison.Ordinal);

        var result = ParseResult.Parse(text);

        Assert.Equal(SipRejectReason.ContentLengthTooLarge, result.Reason);
        Assert.Equal(0, result.Consumed);
    }

    [Fact]
    public void TryParse_HeadersNeverEnding_StopAtMessageLimit()
    {
        var text = "OPTIONS sip:a@b.example SIP/2.0\r\n" + string.Concat(Enumerable.Repeat("X-Filler: 0123456789012345678901234567890123456789\r\n", 1400));

        var result = ParseResult.Parse(text);

        Assert.Equal(OperationStatus.InvalidData, result.Status);
        Assert.Equal(SipRejectReason.MessageTooLarge, result.Reason);
    }

    [Fact]
    public void TryParse_LineOverLimit_IsRefusedEarly()
    {
        var text = "OPTIONS sip:a@b.example SIP/2.0\r\nX-Long: " + new string('a', SipParser.MaxLineLength);

        var result = ParseResult.Parse(text);

        Assert.Equal(SipRejectReason.LineTooLong, result.Reason);
    }

    [Fact]
    public void TryParse_TooManyHeaders_IsRefused()
    {
        var text = TestMessages.Options.Replace("Content-Length: 0", string.Concat(Enumerable.Repeat("X-A: 1\r\n", SipParser.MaxHeaderCount)) + "Content-Length: 0", StringComparison.Ordinal);

        var result = ParseResult.Parse(text);

        Assert.Equal(SipRejectReason.TooManyHeaders, result.Reason);
    }

    [Fact]
    public void TryParse_SemanticError_ConsumesMessageAndKeepsItAnswerable()
    {
        var text = TestMessages.Options.Replace("Max-Forwards: 70", "Max-Forwards: 256", StringComparison.Ordinal);

        var result = ParseResult.Parse(text + TestMessages.Options);

        Assert.Equal(SipRejectReason.InvalidMaxForwards, result.Reason);
        Assert.Equal(text.Length, result.Consumed);
        Assert.True(result.Request.CanBeAnswered);
    }

    [Theory]
    [InlineData("Supported: timer\r\nk: replaces\r\n", SipRejectReason.None)]
    [InlineData("Content-Encoding: gzip\r\ne: deflate\r\n", SipRejectReason.None)]
    [InlineData("Expires: 60\r\nExpires: 70\r\n", SipRejectReason.DuplicateHeader)]
    [InlineData("i: other\r\n", SipRejectReason.DuplicateHeader)]
    public void TryParse_RepeatedHeaders_OnlySingleValuedAreRefused(string extra, SipRejectReason expected)
    {
        var text = TestMessages.Options.Replace("Content-Length: 0", extra + "Content-Length: 0", StringComparison.Ordinal);

        var result = ParseResult.Parse(text);

        Assert.Equal(expected, result.Reason);
    }

    [Theory]
    [InlineData("YWJjZGVmZ2g=@host", SipRejectReason.None)]
    [InlineData("abc def", SipRejectReason.InvalidCallId)]
    public void TryParse_CallId_IsCheckedLiberally(string callId, SipRejectReason expected)
    {
        var text = TestMessages.Options.Replace("Call-ID: a84b4c76e66710", "Call-ID: " + callId, StringComparison.Ordinal);

        Assert.Equal(expected, ParseResult.Parse(text).Reason);
    }

    [Fact]
    public void TryParse_HeaderNameWithSpaceBeforeColon_IsAccepted()
    {
        var text = TestMessages.Options.Replace("Max-Forwards: 70", "Max-Forwards \t: 70", StringComparison.Ordinal);

        using var request = ParseResult.Parse(text).Request;

        Assert.True(request.TryGetHeader(KnownHeader.MaxForwards, out var value));
        Assert.Equal("70"u8, value);
    }

    [Fact]
    public void TryParse_SegmentedInput_GivesSameMessage()
    {
        var bytes = Encoding.UTF8.GetBytes(TestMessages.Invite);
        for (var split = 1; split < bytes.Length; split += 7)
        {
            var result = ParseResult.Parse(SegmentedSequence.Create(bytes, split, Math.Min(bytes.Length, split + 3)));

            Assert.Equal(OperationStatus.Done, result.Status);
            Assert.Equal(bytes.Length, result.Consumed);
            using var request = result.Request;
            Assert.Equal("v=0\r\ns=-\r\n"u8, request.Body);
        }
    }

    [Fact]
    public void TryParse_MutatedMessages_NeverThrow()
    {
        var random = new Random(4475);
        var seeds = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "TestData", "rfc4475"), "*.dat")
            .Select(File.ReadAllBytes)
            .Append(Encoding.UTF8.GetBytes(TestMessages.Invite))
            .ToArray();
        var interesting = "\r\n:;,<>\"\\ @%[]/=?\t0"u8.ToArray();
        var parsers = new[] { new SipParser(SipFraming.Stream), new SipParser(SipFraming.Datagram) };
        for (var round = 0; round < 3000; round++)
        {
            var bytes = Mutate(seeds[random.Next(seeds.Length)], random, interesting);
            foreach (var parser in parsers)
            {
                var builder = new SipMessageBuilder();
                var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
                var status = parser.TryParse(ref reader, builder, out _);
                Assert.True(Enum.IsDefined(status));
                using var message = builder.TakeMessage();
                if (message is not null)
                {
                    Exercise(message);
                }
            }
        }
    }

    private static byte[] Mutate(byte[] seed, Random random, byte[] interesting)
    {
        var bytes = new List<byte>(seed);
        for (var edits = random.Next(1, 6); edits > 0 && bytes.Count > 1; edits--)
        {
            var position = random.Next(bytes.Count);
            var value = random.Next(3) == 0 ? (byte)random.Next(256) : interesting[random.Next(interesting.Length)];
            switch (random.Next(3))
            {
                case 0:
                    bytes[position] = value;
                    break;
                case 1:
                    bytes.Insert(position, value);
                    break;
                default:
                    bytes.RemoveAt(position);
                    break;
            }
        }

        return [.. bytes];
    }

    // Everything a caller may do with a message the parser produced must be safe too.
    private static void Exercise(SipMessage message)
    {
        foreach (var header in new[] { KnownHeader.Via, KnownHeader.Contact, KnownHeader.Route, KnownHeader.RecordRoute })
        {
            foreach (var element in message.GetHeaderElements(header))
            {
                if (ViaHeader.TryParse(element, out var via))
                {
                    _ = via.Branch.Length + via.Received.Length;
                }

                if (NameAddress.TryParse(element, out var address) && SipUri.TryParse(address.Uri, out var uri))
                {
                    _ = uri.IsLooseRouter;
                }
            }
        }

        _ = message.CallId + message.FromTag + message.ToTag + message.CanBeAnswered;
        _ = message.TryGetCSeq(out _);
        SipMessageWriter.Write(new ArrayBufferWriter<byte>(), message);
        if (message is SipRequest request && request.CanBeAnswered)
        {
            SipResponse.Reject(request, SipRejectReason.InvalidVia, "x"u8).Dispose();
            SipResponse.Create(request, 400, toTag: "x"u8).Dispose();
        }
    }

    [Fact]
    public void TryParse_WarmParser_AllocatesNothing()
    {
        var bytes = Encoding.UTF8.GetBytes(TestMessages.Invite);
        var parser = new SipParser(SipFraming.Stream);
        var handler = new CountingHandler();
        var sequence = new ReadOnlySequence<byte>(bytes);

        // Warm up past tiered JIT, whose own bookkeeping shows up in the per-thread counter.
        for (var i = 0; i < 500; i++)
        {
            Parse();
        }

        var allocated = Allocations.LeastOfFiveWindows(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                Parse();
            }
        });

        Assert.Equal(0, allocated);

        void Parse()
        {
            var reader = new SequenceReader<byte>(sequence);
            // A plain check: Assert itself allocates.
            if (parser.TryParse(ref reader, handler, out _) != OperationStatus.Done)
            {
                throw new InvalidOperationException("parse failed");
            }
        }
    }

    [Fact]
    public void TryParse_IntoMessage_AllocationDoesNotGrowWithHeaderCount()
    {
        var few = Encoding.UTF8.GetBytes(TestMessages.Invite);
        var many = Encoding.UTF8.GetBytes(TestMessages.Invite.Replace(
            "Content-Type", string.Concat(Enumerable.Repeat("X-Extra: some value here\r\n", 60)) + "Content-Type", StringComparison.Ordinal));

        Assert.Equal(MeasurePerMessage(few), MeasurePerMessage(many));
        Assert.True(MeasurePerMessage(few) < 256, "only the message object itself is allocated");
    }

    private static long MeasurePerMessage(byte[] bytes)
    {
        var parser = new SipParser(SipFraming.Stream);
        var builder = new SipMessageBuilder();
        var sequence = new ReadOnlySequence<byte>(bytes);
        for (var i = 0; i < 500; i++)
        {
            ParseAndDispose();
        }

        // A message's buffer comes from the process-wide ArrayPool, which tests on other threads share: now and then a
        // rent finds the pool's stack emptied by them and allocates a new array. That lands in some windows only, while
        // anything the parser allocates per header lands in every window, so the least of a few windows is the measure.
        return Allocations.LeastOfFiveWindows(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                ParseAndDispose();
            }
        }) / 100;

        void ParseAndDispose()
        {
            var reader = new SequenceReader<byte>(sequence);
            parser.TryParse(ref reader, builder, out _);
            builder.TakeMessage()?.Dispose();
        }
    }
}
