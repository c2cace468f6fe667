using System.Net;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Devices;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Nodes;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Registrar;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Sip.Transport;
using HostedPbx.Switch.Tests.Sip.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SipRegistrar = HostedPbx.Switch.Sip.Registrar.Registrar;

namespace HostedPbx.Switch.Tests.Registrar;

public sealed class RegistrarTests
{
    private static readonly Guid s_tenant = Guid.CreateVersion7();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
    private readonly SwitchAudit _audit;
    private readonly SipRegistrar _registrar;
    private readonly DirectoryExtension _ext201 = new(Guid.CreateVersion7(), s_tenant, "201", "Alice", false, null, null);
    private readonly DirectoryExtension _ext202 = new(Guid.CreateVersion7(), s_tenant, "202", "Bob", false, null, null);
    private readonly SipFlow _flow;

    public RegistrarTests()
    {
        _audit = new SwitchAudit(_time);
        _registrar = new SipRegistrar(new BindingTable(), new RegistrationStore(null!, "node1", NullLogger.Instance), _audit, _time, new RegistrarLimits(), NullLogger.Instance);
        var device = new DeviceIdentity(Guid.CreateVersion7(), s_tenant, "0015651a2b3c", "ff", "CN=0015651a2b3c", "Device CA", ["201"]);
        _flow = new SipFlow(7, new IPEndPoint(IPAddress.Loopback, 40000), device, "TLSv1.3", "TLS_AES_256_GCM_SHA384");
    }

    [Fact]
    public void Register_BoundExtension_Returns200AndBindsToConnection()
    {
        using var response = _registrar.Register(_flow, Register("201", "Expires: 600\r\n"), Directory());

        Assert.Equal(200, response.StatusCode);
        var binding = Assert.Single(_registrar.Bindings.Find(s_tenant, "201", _time.GetUtcNow()));
        Assert.Equal(7, binding.ConnectionId);
        Assert.Equal("sip:201@127.0.0.1:5072;transport=tls", binding.ContactUri);
        Assert.Equal(_time.GetUtcNow().AddSeconds(600), binding.ExpiresAt);
        Assert.True(response.TryGetHeader(KnownHeader.Contact, out var contact));
        Assert.Equal("<sip:201@127.0.0.1:5072;transport=tls>;expires=600", System.Text.Encoding.UTF8.GetString(contact));
    }

    [Fact]
    public void Register_ExtensionNotBoundToDevice_Returns403AndAudits()
    {
        using var response = _registrar.Register(_flow, Register("202", "Expires: 600\r\n"), Directory());

        Assert.Equal(403, response.StatusCode);
        Assert.Empty(_registrar.Bindings.Find(s_tenant, "202", _time.GetUtcNow()));
        Assert.True(_audit.Reader.TryRead(out var audit));
        Assert.Equal(AuditOutcome.Denied, audit.Outcome);
        Assert.Contains("202", audit.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Register_IntervalTooBrief_Returns423WithMinExpires()
    {
        using var response = _registrar.Register(_flow, Register("201", "Expires: 20\r\n"), Directory());

        Assert.Equal(423, response.StatusCode);
        Assert.True(response.TryGetHeader(KnownHeader.MinExpires, out var min));
        Assert.Equal("60"u8, min);
    }

    [Fact]
    public void Register_LongInterval_ClampedToMax()
    {
        using var response = _registrar.Register(_flow, Register("201", "Expires: 99999\r\n"), Directory());

        Assert.Equal(_time.GetUtcNow().AddSeconds(3600), Assert.Single(_registrar.Bindings.Find(s_tenant, "201", _time.GetUtcNow())).ExpiresAt);
    }

    [Fact]
    public void Register_ExpiresZero_RemovesBinding()
    {
        using var first = _registrar.Register(_flow, Register("201", "Expires: 600\r\n"), Directory());
        using var second = _registrar.Register(_flow, Register("201", "Expires: 0\r\n"), Directory());

        Assert.Equal(200, second.StatusCode);
        Assert.Empty(_registrar.Bindings.Find(s_tenant, "201", _time.GetUtcNow()));
    }

    [Fact]
    public void Find_AfterExpiry_ReturnsNothing()
    {
        using var response = _registrar.Register(_flow, Register("201", "Expires: 600\r\n"), Directory());
        _time.Advance(TimeSpan.FromSeconds(601));

        Assert.Empty(_registrar.Bindings.Find(s_tenant, "201", _time.GetUtcNow()));
    }

    [Fact]
    public void OnConnectionClosed_RemovesItsBindings()
    {
        using var response = _registrar.Register(_flow, Register("201", "Expires: 600\r\n"), Directory());

        _registrar.OnConnectionClosed(7);

        Assert.Empty(_registrar.Bindings.Find(s_tenant, "201", _time.GetUtcNow()));
    }

    [Fact]
    public void OnConnectionClosed_HandsetReRegisteredOverANewConnection_TheOldOnesCloseLeavesTheBinding()
    {
        // A handset that lost its connection registers the same contact again over a new one before the old one is reaped.
        using var first = _registrar.Register(_flow, Register("201", "Expires: 600\r\n"), Directory());
        var reconnected = _flow with { ConnectionId = 8 };
        using var again = _registrar.Register(reconnected, Register("201", "Expires: 600\r\n"), Directory());

        _registrar.OnConnectionClosed(7);
        _registrar.OnLinesChanged(7, []);

        Assert.Equal(8, Assert.Single(_registrar.Bindings.Find(s_tenant, "201", _time.GetUtcNow())).ConnectionId);
        _registrar.OnConnectionClosed(8);
        Assert.Empty(_registrar.Bindings.Find(s_tenant, "201", _time.GetUtcNow()));
    }

    [Fact]
    public void Register_DigestRequiredWithoutCredentials_Returns401WithSha256First()
    {
        var directory = Directory(_ext201 with { DigestRequired = true, Ha1Sha256 = DigestAuthenticator.Sha256("201:hostedpbx:secret") });

        using var response = _registrar.Register(_flow, Register("201", "Expires: 600\r\n"), directory);

        Assert.Equal(401, response.StatusCode);
        Assert.Equal(2, response.CountHeaders(KnownHeader.WwwAuthenticate));
        Assert.True(response.TryGetHeader(KnownHeader.WwwAuthenticate, out var first));
        Assert.Contains("algorithm=SHA-256", System.Text.Encoding.UTF8.GetString(first), StringComparison.Ordinal);
        Assert.Empty(_registrar.Bindings.Find(s_tenant, "201", _time.GetUtcNow()));
    }

    [Theory]
    [InlineData("SHA-256", "secret", 200)]
    [InlineData("MD5", "secret", 200)]
    [InlineData("SHA-256", "wrong", 401)]
    public void Register_DigestCredentials_VerifiedAgainstHa1(string algorithm, string password, int expected)
    {
        var directory = Directory(_ext201 with
        {
            DigestRequired = true,
            Ha1Sha256 = DigestAuthenticator.Sha256("201:hostedpbx:secret"),
            Ha1Md5 = DigestAuthenticator.Md5("201:hostedpbx:secret"),
        });
        using var challenge = _registrar.Register(_flow, Register("201", "Expires: 600\r\n"), directory);
        Assert.True(challenge.TryGetHeader(KnownHeader.WwwAuthenticate, out var header));
        var nonce = SipRegistrar.ParseCredentials(System.Text.Encoding.UTF8.GetString(header))!["nonce"];
        Func<string, string> hash = algorithm == "MD5" ? DigestAuthenticator.Md5 : DigestAuthenticator.Sha256;
        var ha1 = hash($"201:hostedpbx:{password}");
        var ha2 = hash("REGISTER:sip:127.0.0.1:5061");
        var digest = hash($"{ha1}:{nonce}:00000001:abc:auth:{ha2}");
        var authorization = $"Authorization: Digest username=\"201\", realm=\"hostedpbx\", nonce=\"{nonce}\", uri=\"sip:127.0.0.1:5061\", "
            + $"response=\"{digest}\", algorithm={algorithm}, qop=auth, nc=00000001, cnonce=\"abc\"\r\n";

        using var response = _registrar.Register(_flow, Register("201", "Expires: 600\r\n" + authorization), directory);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public void Register_ContactBeyondTheExtensionsBindingLimit_Refused403WithReasonAndAudited()
    {
        var registrar = new SipRegistrar(new BindingTable(), new RegistrationStore(null!, "node1", NullLogger.Instance), _audit, _time, new RegistrarLimits(MaxBindingsPerExtension: 2), NullLogger.Instance);
        using var first = registrar.Register(_flow, Register("201", "Expires: 600\r\n", port: 5072), Directory());
        using var second = registrar.Register(_flow, Register("201", "Expires: 600\r\n", port: 5073), Directory());

        using var refresh = registrar.Register(_flow, Register("201", "Expires: 600\r\n", port: 5073), Directory());
        using var third = registrar.Register(_flow, Register("201", "Expires: 600\r\n", port: 5074), Directory());

        Assert.Equal(200, refresh.StatusCode);
        Assert.Equal(403, third.StatusCode);
        Assert.Equal("Too Many Registrations For This Extension"u8, third.ReasonPhrase);
        Assert.Equal(2, registrar.Bindings.Find(s_tenant, "201", _time.GetUtcNow()).Count);
        Assert.True(_audit.Reader.TryRead(out var audit));
        Assert.Contains("exceed 2 bindings", audit.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Register_ExpiredBindingsDoNotCountTowardsTheLimit()
    {
        var registrar = new SipRegistrar(new BindingTable(), new RegistrationStore(null!, "node1", NullLogger.Instance), _audit, _time, new RegistrarLimits(MaxBindingsPerExtension: 1), NullLogger.Instance);
        using var first = registrar.Register(_flow, Register("201", "Expires: 600\r\n", port: 5072), Directory());
        _time.Advance(TimeSpan.FromSeconds(601));

        using var second = registrar.Register(_flow, Register("201", "Expires: 600\r\n", port: 5073), Directory());

        Assert.Equal(200, second.StatusCode);
    }

    [Fact]
    public void OnLinesChanged_LineUnbound_ItsBindingsGoAndOthersStay()
    {
        var device = _flow.Device with { Extensions = ["201", "202"] };
        var flow = _flow with { Device = device };
        using var r201 = _registrar.Register(flow, Register("201", "Expires: 600\r\n"), Directory());
        using var r202 = _registrar.Register(flow, Register("202", "Expires: 600\r\n"), Directory());

        _registrar.OnLinesChanged(flow.ConnectionId, ["201"]);

        Assert.Single(_registrar.Bindings.Find(s_tenant, "201", _time.GetUtcNow()));
        Assert.Empty(_registrar.Bindings.Find(s_tenant, "202", _time.GetUtcNow()));
    }

    [Fact]
    public void Register_HostileUserPart_AuditAndLogCarryItBoundedAndEscaped()
    {
        var user = "%n%n" + new string('9', 5000);

        using var response = _registrar.Register(_flow, Register(user, "Expires: 600\r\n"), Directory());

        Assert.Equal(403, response.StatusCode);
        Assert.True(_audit.Reader.TryRead(out var audit));
        Assert.True(audit.Reason!.Length < 300, $"audit reason of {audit.Reason.Length} characters");
    }

    [Fact]
    public async Task Register_RefreshWhileDraining_Returns503WithRetryAfterAndKeepsTheBinding()
    {
        var drain = new NodeDrain(TimeSpan.FromSeconds(30), _time);
        var registrar = new SipRegistrar(new BindingTable(), new RegistrationStore(null!, "node1", NullLogger.Instance), _audit, _time, new RegistrarLimits(), NullLogger.Instance)
        {
            Drain = drain,
        };
        using var before = registrar.Register(_flow, Register("201", "Expires: 600\r\n"), Directory());
        var held = Assert.Single(registrar.Bindings.Find(s_tenant, "201", _time.GetUtcNow())).ExpiresAt;

        await drain.DrainAsync(() => 0, () => { }, TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(10));
        using var refresh = registrar.Register(_flow, Register("201", "Expires: 600\r\n"), Directory());
        using var other = registrar.Register(_flow, Register("201", "Expires: 600\r\n", port: 5073), Directory());

        Assert.Equal(200, before.StatusCode);
        Assert.Equal((503, 503), (refresh.StatusCode, other.StatusCode));
        Assert.Equal("Switch Node Draining"u8, refresh.ReasonPhrase);
        Assert.True(refresh.TryGetHeader(KnownHeader.RetryAfter, out var retryAfter));
        Assert.Equal("20"u8, retryAfter);
        Assert.Equal(held, Assert.Single(registrar.Bindings.Find(s_tenant, "201", _time.GetUtcNow())).ExpiresAt);
    }

    [Fact]
    public async Task Register_WhileDrainingPastItsGrace_RetryAfterNeverBelowFiveSeconds()
    {
        var drain = new NodeDrain(TimeSpan.FromSeconds(30), _time);
        var registrar = new SipRegistrar(new BindingTable(), new RegistrationStore(null!, "node1", NullLogger.Instance), _audit, _time, new RegistrarLimits(), NullLogger.Instance)
        {
            Drain = drain,
        };
        await drain.DrainAsync(() => 0, () => { }, TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(29));

        using var response = registrar.Register(_flow, Register("201", "Expires: 600\r\n"), Directory());

        Assert.Equal(503, response.StatusCode);
        Assert.True(response.TryGetHeader(KnownHeader.RetryAfter, out var retryAfter));
        Assert.Equal("5"u8, retryAfter);
        Assert.Empty(registrar.Bindings.Find(s_tenant, "201", _time.GetUtcNow()));
    }

    [Theory]
    [InlineData("sip:201@127.0.0.1:5072;transport=tls")]
    [InlineData("*")]
    public async Task Register_UnregisterWhileDraining_Returns200AndRemovesTheBinding(string contact)
    {
        var drain = new NodeDrain(TimeSpan.FromSeconds(30), _time);
        var registrar = new SipRegistrar(new BindingTable(), new RegistrationStore(null!, "node1", NullLogger.Instance), _audit, _time, new RegistrarLimits(), NullLogger.Instance)
        {
            Drain = drain,
        };
        using var bound = registrar.Register(_flow, Register("201", "Expires: 600\r\n"), Directory());
        await drain.DrainAsync(() => 0, () => { }, TestContext.Current.CancellationToken);

        using var response = registrar.Register(_flow, Register("201", "Expires: 0\r\n", contact: contact), Directory());

        Assert.Equal(200, response.StatusCode);
        Assert.Empty(registrar.Bindings.Find(s_tenant, "201", _time.GetUtcNow()));
    }

    private DeviceDirectory Directory(DirectoryExtension? ext201 = null) =>
        new([], Data.Certificates.RevokedSerials.None, [], [ext201 ?? _ext201, _ext202]);

    private static SipRequest Register(string user, string extraHeaders, int port = 5072, string? contact = null) => (SipRequest)ParseResult.Parse(
        "REGISTER sip:127.0.0.1:5061 SIP/2.0\r\n"
        + "Via: SIP/2.0/TLS 127.0.0.1:5072;branch=z9hG4bKreg1;rport\r\n"
        + "Max-Forwards: 70\r\n"
        + $"To: <sip:{user}@127.0.0.1>\r\n"
        + $"From: <sip:{user}@127.0.0.1>;tag=reg1\r\n"
        + "Call-ID: reg-call-1\r\n"
        + "CSeq: 1 REGISTER\r\n"
        + (contact == "*" ? "Contact: *\r\n" : $"Contact: <{contact ?? $"sip:{user}@127.0.0.1:{port};transport=tls"}>\r\n")
        + extraHeaders
        + "Content-Length: 0\r\n\r\n").Message!;
}
