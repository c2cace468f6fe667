using System.Buffers;
using System.Security.Cryptography;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Tests.Sip.Support;

namespace HostedPbx.Switch.Tests.Sip.Syntax;

/// <summary>RFC 4475 torture messages (TestData/rfc4475, see its README for the expected handling of each).</summary>
public sealed class TortureTests
{
    private static readonly string s_directory = Path.Combine(AppContext.BaseDirectory, "TestData", "rfc4475");

    // Datagram framing is how RFC 4475 presents the messages; the README's expected handling maps to these reasons.
    // None = parses (application-level handling, if any, is checked in dedicated tests below).
    private static readonly Dictionary<string, SipRejectReason> s_datagramExpectations = new()
    {
        ["wsinv"] = SipRejectReason.None,
        ["intmeth"] = SipRejectReason.None,
        ["esc01"] = SipRejectReason.None,
        ["escnull"] = SipRejectReason.None,
        ["esc02"] = SipRejectReason.None,
        ["lwsdisp"] = SipRejectReason.None,
        ["longreq"] = SipRejectReason.None,
        ["dblreq"] = SipRejectReason.None,
        ["semiuri"] = SipRejectReason.None,
        ["transports"] = SipRejectReason.None,
        ["mpart01"] = SipRejectReason.None,
        ["unreason"] = SipRejectReason.None,
        ["noreason"] = SipRejectReason.None,
        ["badinv01"] = SipRejectReason.InvalidVia,
        ["clerr"] = SipRejectReason.BodyShorterThanContentLength,
        ["ncl"] = SipRejectReason.InvalidContentLength,
        ["scalar02"] = SipRejectReason.InvalidCSeq,
        ["scalarlg"] = SipRejectReason.InvalidCSeq,
        ["quotbal"] = SipRejectReason.InvalidTo,
        ["ltgtruri"] = SipRejectReason.InvalidRequestUri,
        ["lwsruri"] = SipRejectReason.InvalidRequestUri,
        ["lwsstart"] = SipRejectReason.InvalidRequestUri,
        ["trws"] = SipRejectReason.InvalidStartLine,
        ["escruri"] = SipRejectReason.RequestUriHeadersNotAllowed,
        ["baddate"] = SipRejectReason.None,
        ["regbadct"] = SipRejectReason.InvalidContact,
        ["badaspec"] = SipRejectReason.InvalidTo,
        ["baddn"] = SipRejectReason.InvalidFrom,
        ["badvers"] = SipRejectReason.UnsupportedVersion,
        ["mismatch01"] = SipRejectReason.CSeqMethodMismatch,
        ["mismatch02"] = SipRejectReason.CSeqMethodMismatch,
        ["bigcode"] = SipRejectReason.InvalidStatusCode,
        ["badbranch"] = SipRejectReason.None,
        ["insuf"] = SipRejectReason.MissingRequiredHeader,
        ["unkscm"] = SipRejectReason.None,
        ["novelsc"] = SipRejectReason.None,
        ["unksm2"] = SipRejectReason.None,
        ["bext01"] = SipRejectReason.None,
        ["invut"] = SipRejectReason.None,
        ["regaut01"] = SipRejectReason.None,
        ["multi01"] = SipRejectReason.DuplicateHeader,
        ["mcl01"] = SipRejectReason.DuplicateContentLength,
        ["bcast"] = SipRejectReason.None,
        ["zeromf"] = SipRejectReason.None,
        ["cparam01"] = SipRejectReason.None,
        ["cparam02"] = SipRejectReason.None,
        ["regescrt"] = SipRejectReason.None,
        ["sdp01"] = SipRejectReason.None,
        ["inv2543"] = SipRejectReason.None,
        ["test"] = SipRejectReason.InvalidStartLine,
    };

    public static TheoryData<string> Messages()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(s_directory, "*.dat").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Fact]
    public void Corpus_Files_MatchSha256Sums()
    {
        var lines = File.ReadAllLines(Path.Combine(s_directory, "SHA256SUMS"));
        Assert.Equal(50, lines.Length);
        foreach (var line in lines)
        {
            var parts = line.Split("  ", 2);
            var actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(s_directory, parts[1]))));
            Assert.Equal(parts[0], actual);
        }
    }

    [Fact]
    public void Expectations_CoverEveryFile()
    {
        var files = Messages().Select(row => row.Data).ToHashSet();
        Assert.Equal(files.Order(), s_datagramExpectations.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void TryParse_Datagram_MatchesRfc4475Expectation(string name)
    {
        var bytes = Load(name);

        var result = ParseResult.Parse(bytes, SipFraming.Datagram);

        var expected = s_datagramExpectations[name];
        Assert.Equal(expected, result.Reason);
        Assert.Equal(expected == SipRejectReason.None ? OperationStatus.Done : OperationStatus.InvalidData, result.Status);
        Assert.Equal(bytes.Length, result.Consumed);
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void TryParse_Stream_FramesOrRefusesWithoutThrowing(string name)
    {
        var bytes = Load(name);

        var result = ParseResult.Parse(bytes, SipFraming.Stream);

        var expectedStatus = name switch
        {
            // Content-Length 9999: on a stream the rest simply has not arrived yet.
            "clerr" => OperationStatus.NeedMoreData,
            _ => s_datagramExpectations[name] == SipRejectReason.None && name != "inv2543" ? OperationStatus.Done : OperationStatus.InvalidData,
        };
        Assert.Equal(expectedStatus, result.Status);
        if (name is "ncl" or "mcl01" or "inv2543" or "clerr")
        {
            // Framing is broken (or incomplete): nothing consumed; the connection owner closes on InvalidData.
            Assert.Equal(0, result.Consumed);
            Assert.True(result.Status == OperationStatus.NeedMoreData || result.Reason.BreaksStreamFraming());
        }
    }

    [Fact]
    public void TryParse_Inv2543OnStream_RequiresContentLength()
    {
        var result = ParseResult.Parse(Load("inv2543"), SipFraming.Stream);

        Assert.Equal(SipRejectReason.MissingContentLength, result.Reason);
    }

    [Fact]
    public void TryParse_DblreqOnStream_YieldsRegisterThenInvite()
    {
        var bytes = Load("dblreq");
        var parser = new SipParser(SipFraming.Stream);
        var builder = new SipMessageBuilder();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));

        Assert.Equal(OperationStatus.Done, parser.TryParse(ref reader, builder, out _));
        using var register = Assert.IsType<SipRequest>(builder.TakeMessage());
        Assert.Equal(OperationStatus.Done, parser.TryParse(ref reader, builder, out _));
        using var invite = Assert.IsType<SipRequest>(builder.TakeMessage());

        Assert.Equal(SipMethod.Register, register.Method);
        Assert.Equal(SipMethod.Invite, invite.Method);
        Assert.Equal(150, invite.Body.Length);
    }

    [Fact]
    public void TryParse_DblreqOnDatagram_IgnoresTrailingOctets()
    {
        var result = ParseResult.Parse(Load("dblreq"), SipFraming.Datagram);

        Assert.Equal(SipMethod.Register, result.Request.Method);
        Assert.Equal(0, result.Request.Body.Length);
    }

    [Fact]
    public void TryParse_Wsinv_UnfoldsAndSplitsVias()
    {
        using var request = ParseResult.Parse(Load("wsinv"), SipFraming.Datagram).Request;

        var hosts = new List<string>();
        foreach (var element in request.GetHeaderElements(KnownHeader.Via))
        {
            Assert.True(ViaHeader.TryParse(element, out var via));
            hosts.Add(System.Text.Encoding.ASCII.GetString(via.Host));
        }

        Assert.Equal(["192.0.2.2", "spindle.example.com", "192.168.255.111"], hosts);
        Assert.True(request.TryGetCSeq(out var cseq));
        Assert.Equal(9u, cseq.Number);
        Assert.Equal("1918181833n", request.ToTag);
        Assert.Equal("98asjd8", request.FromTag);
        Assert.Equal(150, request.Body.Length);
        Assert.True(request.TryGetHeader("newfangledheader"u8, out var folded));
        Assert.Equal("newfangled value   continued newfangled value"u8, folded);
    }

    [Fact]
    public void TryParse_Esc01_UnescapesUserParts()
    {
        using var request = ParseResult.Parse(Load("esc01"), SipFraming.Datagram).Request;

        Assert.True(SipUri.TryParse(request.RequestUri, out var uri));
        Span<byte> user = stackalloc byte[uri.User.Length];
        Assert.True(SipUri.TryUnescape(uri.User, user, out var written));
        Assert.Equal("sips:user@example.com"u8, user[..written]);
    }

    [Fact]
    public void TryParse_Esc02_EscapedMethodIsNotRegister()
    {
        using var request = ParseResult.Parse(Load("esc02"), SipFraming.Datagram).Request;

        Assert.Equal(SipMethod.Unknown, request.Method);
        Assert.Equal(2, request.CountHeaders(KnownHeader.Contact));
    }

    [Fact]
    public void TryParse_Semiuri_UserContainsSemicolon()
    {
        using var request = ParseResult.Parse(Load("semiuri"), SipFraming.Datagram).Request;

        Assert.True(SipUri.TryParse(request.RequestUri, out var uri));
        Assert.Equal("user;par=u%40example.net"u8, uri.User);
        Assert.Equal("example.com"u8, uri.Host);
    }

    [Fact]
    public void TryParse_Intmeth_KeepsExtensionMethodAndPassword()
    {
        using var request = ParseResult.Parse(Load("intmeth"), SipFraming.Datagram).Request;

        Assert.Equal("!interesting-Method0123456789_*+`.%indeed'~"u8, request.MethodToken);
        Assert.True(SipUri.TryParse(request.RequestUri, out var uri));
        Assert.Equal("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)"u8, uri.Password);
    }

    [Fact]
    public void TryParse_Cparam01_ParameterBelongsToContactHeader()
    {
        using var request = ParseResult.Parse(Load("cparam01"), SipFraming.Datagram).Request;

        Assert.True(request.TryGetHeader(KnownHeader.Contact, out var value));
        Assert.True(NameAddress.TryParse(value, out var contact));
        Assert.True(contact.TryGetParameter("unknownparam"u8, out _));
        Assert.Equal("sip:+19725552222@gw1.example.net"u8, contact.Uri);
    }

    [Fact]
    public void TryParse_Cparam02_ParameterBelongsToUri()
    {
        using var request = ParseResult.Parse(Load("cparam02"), SipFraming.Datagram).Request;

        Assert.True(request.TryGetHeader(KnownHeader.Contact, out var value));
        Assert.True(NameAddress.TryParse(value, out var contact));
        Assert.False(contact.TryGetParameter("unknownparam"u8, out _));
        Assert.True(SipUri.TryParse(contact.Uri, out var uri));
        Assert.True(uri.TryGetParameter("unknownparam"u8, out _));
    }

    [Theory]
    [InlineData("unkscm")]
    [InlineData("novelsc")]
    public void TryParse_UnknownRequestUriScheme_ParsesForA416(string name)
    {
        using var request = ParseResult.Parse(Load(name), SipFraming.Datagram).Request;

        Assert.False(SipUri.IsSipScheme(request.RequestUri));
    }

    [Fact]
    public void TryParse_Unreason_KeepsUtf8ReasonPhrase()
    {
        using var response = ParseResult.Parse(Load("unreason"), SipFraming.Datagram).Response;

        Assert.Equal(200, response.StatusCode);
        Assert.StartsWith("= 2**3 * 5**2 но", System.Text.Encoding.UTF8.GetString(response.ReasonPhrase), StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Noreason_AcceptsEmptyReasonPhrase()
    {
        using var response = ParseResult.Parse(Load("noreason"), SipFraming.Datagram).Response;

        Assert.Equal(100, response.StatusCode);
        Assert.True(response.ReasonPhrase.IsEmpty);
    }

    [Fact]
    public void TryParse_Longreq_Reads34Vias()
    {
        using var request = ParseResult.Parse(Load("longreq"), SipFraming.Datagram).Request;

        var count = 0;
        foreach (var element in request.GetHeaderElements(KnownHeader.Via))
        {
            Assert.True(ViaHeader.TryParse(element, out _));
            count++;
        }

        Assert.Equal(34, count);
    }

    [Fact]
    public void TryParse_Badvers_IsAnsweredWith505()
    {
        var result = ParseResult.Parse(Load("badvers"), SipFraming.Datagram);

        Assert.Equal(505, result.Reason.GetStatusCode());
        Assert.True(result.Request.CanBeAnswered);
    }

    [Fact]
    public void TryParse_Zeromf_ExposesMaxForwardsZero()
    {
        using var request = ParseResult.Parse(Load("zeromf"), SipFraming.Datagram).Request;

        Assert.True(request.TryGetMaxForwards(out var maxForwards));
        Assert.Equal(0, maxForwards);
    }

    [Fact]
    public void TryParse_Wsinv_MaxForwardsWithLeadingZeros()
    {
        using var request = ParseResult.Parse(Load("wsinv"), SipFraming.Datagram).Request;

        Assert.True(request.TryGetMaxForwards(out var maxForwards));
        Assert.Equal(68, maxForwards);
    }

    [Fact]
    public void TryParse_Inv2543_HasNoMaxForwardsAndNoBranch()
    {
        using var request = ParseResult.Parse(Load("inv2543"), SipFraming.Datagram).Request;

        Assert.False(request.TryGetMaxForwards(out _));
        Assert.Equal(105, request.Body.Length);
        Assert.True(request.TryGetTopVia(out var via));
        Assert.False(via.HasRfc3261Branch);
    }

    private static byte[] Load(string name) => File.ReadAllBytes(Path.Combine(s_directory, name + ".dat"));
}
