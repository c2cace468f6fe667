using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Provisioning.Tests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Tests.Pstn;

/// <summary>Carriers, trunks, numbers, routes and fraud settings through the management API, with every refusal a problem that writes nothing.</summary>
public sealed class PstnApiTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly ProvisioningFactory _factory = new(database);
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private HttpClient _operator = null!;
    private HttpClient _reseller = null!;
    private TestTenants.Arranged _acme = null!;
    private TestTenants.Arranged _other = null!;
    private Guid _carrierId;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        await using var owner = database.CreateOwnerContext();
        _acme = await TestTenants.AddAsync(owner, "Acme", "0015651a0001");
        _other = await TestTenants.AddAsync(owner, "Other", "0015651a0002");
        _operator = _factory.ClientWithKey(await _factory.AddKeyAsync(null, "operator"));
        _reseller = _factory.ClientWithKey(await _factory.AddKeyAsync(_acme.Reseller.Id, "reseller"));
        _carrierId = (await PostAsync(_operator, "/api/v1/carriers",
            new { name = "Telco", host = "sip.telco.example", username = "pbx", password = "carrier-secret" })).GetProperty("id").GetGuid();
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task CreateTrunk_OnTheOperatorsCarrier_StoredWithItsPasswordOnlyEncryptedUnderTheMasterKey()
    {
        var trunk = await PostAsync(_reseller, $"/api/v1/tenants/{_acme.Tenant.Id}/trunks", new { name = "Main", carrierId = _carrierId });
        var own = await PostAsync(_reseller, $"/api/v1/tenants/{_acme.Tenant.Id}/trunks",
            new { name = "Own", host = "sbc.example.net", srtpMode = "Preferred", username = "acme", password = "own-secret" });

        Assert.Equal(_carrierId, trunk.GetProperty("carrierId").GetGuid());
        Assert.True(own.GetProperty("hasPassword").GetBoolean());
        Assert.False(own.TryGetProperty("password", out _));
        await using var owner = database.CreateOwnerContext();
        var stored = await owner.Trunks.SingleAsync(t => t.Name == "Own", _ct);
        var carrier = await owner.Carriers.SingleAsync(c => c.Id == _carrierId, _ct);
        using var protector = KeyProtector.FromBase64(ProvisioningFactory.MasterKey);
        Assert.Equal("own-secret", Encoding.UTF8.GetString(protector.Unprotect(stored.ProtectedPassword, KeyPurpose.TrunkPassword(stored.Id))));
        Assert.Equal("carrier-secret", Encoding.UTF8.GetString(protector.Unprotect(carrier.ProtectedPassword, KeyPurpose.CarrierPassword(carrier.Id))));
        Assert.Throws<KeyProtectionException>(() => protector.Unprotect(stored.ProtectedPassword, KeyPurpose.TrunkPassword(Guid.NewGuid())));
        Assert.Equal((SrtpMode.Preferred, "sbc.example.net"), (stored.SrtpMode, stored.Host));
    }

    [Fact]
    public async Task CreateTrunk_UdpByAReseller_Refused_ButTheOperatorMayAllowIt()
    {
        var body = new { name = "Legacy", host = "10.0.0.9", port = 5060, transport = "Udp", plainTransportAllowed = true, srtpMode = "Off" };

        var byReseller = await _reseller.PostAsJsonAsync($"/api/v1/tenants/{_acme.Tenant.Id}/trunks", body, _ct);
        var byOperator = await _operator.PostAsJsonAsync($"/api/v1/tenants/{_acme.Tenant.Id}/trunks", body, _ct);

        await AssertProblemAsync(byReseller, "PlainTransportAllowed", "Only the operator");
        Assert.Equal(HttpStatusCode.Created, byOperator.StatusCode);
    }

    [Theory]
    [InlineData("trunks", """{"name":"Bad","host":"not a host!"}""", "Host", "neither an IP address nor a host name")]
    [InlineData("trunks", """{"name":"Both","host":"a.example","carrierId":"CARRIER"}""", "Host", "leave Host empty")]
    [InlineData("trunks", """{"name":"Tcp","host":"a.example","transport":"Tcp"}""", "Transport", "use TLS")]
    [InlineData("numbers", """{"number":"030123456","destinationExtensionId":"EXTENSION"}""", "Number", "not in E.164")]
    [InlineData("numbers", """{"number":"+4930123456","destinationExtensionId":"OTHER_EXTENSION"}""", "DestinationExtensionId", "No such extension")]
    [InlineData("routes", """{"name":"Bad","pattern":"+44[0-9]*","priority":1,"trunkIds":["TRUNK"]}""", "Pattern", "'[' at position 4")]
    [InlineData("routes", """{"name":"Theirs","pattern":"+44*","priority":1,"trunkIds":["OTHER_TRUNK"]}""", "TrunkIds", "No such trunk in this tenant")]
    [InlineData("routes", """{"name":"None","pattern":"+44*","priority":1,"trunkIds":[]}""", "TrunkIds", "Give 1 to 8")]
    [InlineData("routes", """{"name":"Spoof","pattern":"+44*","priority":1,"trunkIds":["TRUNK"],"callerId":"+4930999999"}""", "CallerId", "not one of this tenant's numbers")]
    [InlineData("fraud-settings", """{"country":"XX"}""", "Country", "No dial plan for XX")]
    [InlineData("fraud-settings", """{"country":"DE","blockedPrefixes":["4990"]}""", "BlockedPrefixes", "not an E.164 prefix")]
    [InlineData("fraud-settings", """{"country":"DE","allowedCountries":["GB",null]}""", "AllowedCountries", "'null' is not an ISO 3166 code")]
    public async Task Write_BadInput_Returns400NamingTheFieldAndWritesNothing(string area, string json, string field, string words)
    {
        var trunkId = (await PostAsync(_reseller, $"/api/v1/tenants/{_acme.Tenant.Id}/trunks", new { name = "Main", carrierId = _carrierId }))
            .GetProperty("id").GetGuid();
        Guid otherTrunk;
        await using (var owner = database.CreateOwnerContext())
        {
            var theirs = new Trunk { TenantId = _other.Tenant.Id, Name = "Theirs", Host = "b.example", CreatedAt = TestClock.Now };
            owner.Trunks.Add(theirs);
            await owner.SaveChangesAsync(_ct);
            otherTrunk = theirs.Id;
        }

        var before = await CountAsync();
        var body = json.Replace("CARRIER", _carrierId.ToString(), StringComparison.Ordinal)
            .Replace("OTHER_EXTENSION", _other.Extension.Id.ToString(), StringComparison.Ordinal)
            .Replace("EXTENSION", _acme.Extension.Id.ToString(), StringComparison.Ordinal)
            .Replace("OTHER_TRUNK", otherTrunk.ToString(), StringComparison.Ordinal)
            .Replace("TRUNK", trunkId.ToString(), StringComparison.Ordinal);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var path = $"/api/v1/tenants/{_acme.Tenant.Id}/{area}";

        var response = area == "fraud-settings" ? await _reseller.PutAsync(path, content, _ct) : await _reseller.PostAsync(path, content, _ct);

        await AssertProblemAsync(response, field, words);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task CreateNumber_HeldByAnotherResellersTenant_Returns409WithoutSayingWhose()
    {
        await using (var owner = database.CreateOwnerContext())
        {
            owner.InboundNumbers.Add(new InboundNumber
            {
                TenantId = _other.Tenant.Id, Number = "+4930123456", DestinationExtensionId = _other.Extension.Id, CreatedAt = TestClock.Now,
            });
            await owner.SaveChangesAsync(_ct);
        }

        var response = await _reseller.PostAsJsonAsync($"/api/v1/tenants/{_acme.Tenant.Id}/numbers",
            new { number = "+4930123456", destinationExtensionId = _acme.Extension.Id }, _ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(_ct);
        Assert.Contains("+4930123456 is assigned already", text, StringComparison.Ordinal);
        Assert.DoesNotContain(_other.Tenant.Id.ToString(), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FraudSettings_DefaultsThenSavedThenASuspensionLifted_EachShownAndAudited()
    {
        var path = $"/api/v1/tenants/{_acme.Tenant.Id}/fraud-settings";
        var defaults = await _reseller.GetFromJsonAsync<JsonElement>(path, _ct);
        var saved = await _reseller.PutAsJsonAsync(path, new { country = "GB", allowedCountries = new[] { "GB", "IE" }, burstAttempts = 20 }, _ct);
        var notSuspended = await _reseller.PostAsync($"{path}/lift-suspension", null, _ct);
        await using (var owner = database.CreateOwnerContext())
        {
            var row = await owner.PstnSettings.SingleAsync(s => s.TenantId == _acme.Tenant.Id, _ct);
            row.OutboundSuspendedAt = TestClock.Now;
            row.SuspensionReason = "21 international attempts within 5 minutes";
            await owner.SaveChangesAsync(_ct);
        }

        var lifted = await _reseller.PostAsJsonAsync($"{path}/lift-suspension", new { reason = "customer confirmed the calls" }, _ct);

        Assert.Equal("DE", defaults.GetProperty("country").GetString());
        Assert.Equal(["112", "110"], defaults.GetProperty("emergencyNumbers").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("ITU-T E.164", defaults.GetProperty("platformBlockedRangesSource").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, notSuspended.StatusCode);
        Assert.Equal(HttpStatusCode.OK, lifted.StatusCode);
        await using var check = database.CreateOwnerContext();
        var settings = await check.PstnSettings.SingleAsync(s => s.TenantId == _acme.Tenant.Id, _ct);
        Assert.Equal(("GB", 20, (DateTimeOffset?)null), (settings.Country, settings.BurstAttempts, settings.OutboundSuspendedAt));
        var audit = await check.AuditEvents.SingleAsync(e => e.Action == "pstn.outbound-resume", _ct);
        Assert.Contains("21 international attempts", audit.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Carriers_AResellersKey_Gets404AndCannotCreateOne()
    {
        var list = await _reseller.GetAsync("/api/v1/carriers", _ct);
        var create = await _reseller.PostAsJsonAsync("/api/v1/carriers", new { name = "Mine", host = "x.example" }, _ct);

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (list.StatusCode, create.StatusCode));
        await using var owner = database.CreateOwnerContext();
        Assert.Equal(1, await owner.Carriers.CountAsync(_ct));
    }

    [Fact]
    public async Task DeleteTrunk_UsedByARoute_Returns409AndKeepsBoth()
    {
        var tenant = $"/api/v1/tenants/{_acme.Tenant.Id}";
        var trunkId = (await PostAsync(_reseller, $"{tenant}/trunks", new { name = "Main", carrierId = _carrierId })).GetProperty("id").GetGuid();
        await PostAsync(_reseller, $"{tenant}/routes", new { name = "UK", pattern = "+44*", priority = 5, trunkIds = new[] { trunkId } });

        var response = await _reseller.DeleteAsync($"{tenant}/trunks/{trunkId}", _ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        await using var owner = database.CreateOwnerContext();
        Assert.True(await owner.Trunks.AnyAsync(t => t.Id == trunkId, _ct));
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, string field, string words)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {text}");
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Contains(words, problem.GetProperty("errors").GetProperty(field)[0].GetString(), StringComparison.Ordinal);
    }

    private async Task<string> CountAsync()
    {
        await using var owner = database.CreateOwnerContext();
        return $"{await owner.Trunks.CountAsync(_ct)}|{await owner.InboundNumbers.CountAsync(_ct)}|{await owner.OutboundRoutes.CountAsync(_ct)}"
            + $"|{await owner.PstnSettings.CountAsync(_ct)}|{await owner.AuditEvents.CountAsync(_ct)}";
    }

    private async Task<JsonElement> PostAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body, _ct);
        var text = await response.Content.ReadAsStringAsync(_ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
