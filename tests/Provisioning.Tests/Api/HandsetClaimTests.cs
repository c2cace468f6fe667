using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HostedPbx.Data.Tenancy;
using HostedPbx.Provisioning.Tests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Tests.Api;

/// <summary>
/// Claiming a handset never tells one reseller that another holds its MAC: the answer, its shape and its time are those
/// of a malformed claim, and only the operator reads in the audit log which it was.
/// </summary>
public sealed class HandsetClaimTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly ProvisioningFactory _factory = new(database);
    private TestTenants.Arranged _a = null!;
    private TestTenants.Arranged _b = null!;
    private HttpClient _resellerB = null!;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        await using var owner = database.CreateOwnerContext();
        _a = await TestTenants.AddAsync(owner, "Alpha", "0015651a0001");
        _b = await TestTenants.AddAsync(owner, "Bravo", "0015651a0002");
        _resellerB = _factory.ClientWithKey(await _factory.AddKeyAsync(_b.Reseller.Id));
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task CreateDevice_MacHeldByAnotherReseller_SameAnswerAndTimeAsAMalformedClaim()
    {
        var taken = await ClaimAsync(_a.Device.Mac, "3a7f01c2");
        var malformed = await ClaimAsync("0015651a0999", "not a serial");

        Assert.Equal(HttpStatusCode.BadRequest, taken.Status);
        Assert.Equal(malformed.Status, taken.Status);
        Assert.Equal(malformed.Body, taken.Body);
        Assert.DoesNotContain("0015651a0001", taken.Body, StringComparison.OrdinalIgnoreCase);

        // Interleaved, after one warm-up each above: the medians differ by no more than the noise of one request.
        var takenTimes = new List<double>();
        var malformedTimes = new List<double>();
        for (var i = 0; i < 15; i++)
        {
            takenTimes.Add((await ClaimAsync(_a.Device.Mac, "3a7f01c2")).Milliseconds);
            malformedTimes.Add((await ClaimAsync("0015651a0999", "not a serial")).Milliseconds);
        }

        var (t, m) = (Median(takenTimes), Median(malformedTimes));
        Assert.True(Math.Abs(t - m) <= Math.Max(15, 0.5 * Math.Max(t, m)), $"median {t:F1} ms for a held MAC, {m:F1} ms for a malformed claim");
        TestContext.Current.SendDiagnosticMessage($"claim refusal medians: held MAC {t:F1} ms, malformed {m:F1} ms");

        // The operator (and only the operator) reads which refusal was which.
        await using var platform = database.CreateAppContext(DbScope.System);
        var reasons = await platform.AuditEvents.Where(e => e.Action == "device.claim").Select(e => e.Reason!).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Contains(reasons, r => r.Contains($"held by tenant {_a.Tenant.Id}", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("not a certificate serial number", StringComparison.Ordinal));
        await using var resellerB = database.CreateAppContext(DbScope.ForReseller(_b.Reseller.Id));
        Assert.False(await resellerB.AuditEvents.AnyAsync(e => e.Action == "device.claim", TestContext.Current.CancellationToken));
        await using var owner = database.CreateOwnerContext();
        Assert.Equal(1, await owner.Devices.CountAsync(d => d.Mac == _a.Device.Mac, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task CreateDevice_WithFactorySerial_KeepsItNormalised()
    {
        var created = await ClaimAsync("0015651a0777", "00:3A:7F:01:C2");

        Assert.Equal(HttpStatusCode.Created, created.Status);
        await using var owner = database.CreateOwnerContext();
        Assert.Equal("3a7f01c2", (await owner.Devices.SingleAsync(d => d.Mac == "0015651a0777", TestContext.Current.CancellationToken)).FactorySerial);
    }

    [Fact]
    public async Task OperatorApproval_OfAConflictingClaim_MovesTheMacAndTellsBothTenants()
    {
        var refused = await ClaimAsync(_a.Device.Mac, "3a7f01c2");
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        using var operatorKey = _factory.ClientWithKey(await _factory.AddKeyAsync(null, "operator"));

        using var approved = await operatorKey.PostAsJsonAsync("/api/v1/device-claims", new
        {
            tenantId = _b.Tenant.Id, mac = _a.Device.Mac, vendor = "Yealink", model = "T54W", factorySerial = "3a7f01c2",
            reason = "ticket 4711: Alpha sold the handset to Bravo",
        }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, approved.StatusCode);
        await using var owner = database.CreateOwnerContext();
        var moved = await owner.Devices.SingleAsync(d => d.Mac == _a.Device.Mac, TestContext.Current.CancellationToken);
        Assert.Equal(_b.Tenant.Id, moved.TenantId);
        Assert.Equal("3a7f01c2", moved.FactorySerial);
        await using var alpha = database.CreateAppContext(DbScope.ForTenant(_a.Tenant.Id));
        var told = await alpha.AuditEvents.SingleAsync(e => e.Action == "device.claim-moved-away", TestContext.Current.CancellationToken);
        Assert.Contains("ticket 4711", told.Reason, StringComparison.Ordinal);
        await using var bravo = database.CreateAppContext(DbScope.ForTenant(_b.Tenant.Id));
        Assert.True(await bravo.AuditEvents.AnyAsync(e => e.Action == "device.claim-approved" && e.TargetId == moved.Id.ToString(), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task OperatorApproval_ByAResellerKey_IsNotFound_AndMovesNothing()
    {
        using var approved = await _resellerB.PostAsJsonAsync("/api/v1/device-claims", new
        {
            tenantId = _b.Tenant.Id, mac = _a.Device.Mac, vendor = "Yealink", model = "T54W", reason = "I say so",
        }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, approved.StatusCode);
        await using var owner = database.CreateOwnerContext();
        Assert.Equal(_a.Tenant.Id, (await owner.Devices.SingleAsync(d => d.Mac == _a.Device.Mac, TestContext.Current.CancellationToken)).TenantId);
    }

    [Fact]
    public async Task OperatorApproval_WithBadLines_LeavesTheHolderItsHandset()
    {
        using var operatorKey = _factory.ClientWithKey(await _factory.AddKeyAsync(null, "operator"));

        // A line key of the holder's tenant is not the claimant's: the whole approval is refused, nothing moves.
        using var approved = await operatorKey.PostAsJsonAsync("/api/v1/device-claims", new
        {
            tenantId = _b.Tenant.Id, mac = _a.Device.Mac, vendor = "Yealink", model = "T54W", reason = "ticket 4712",
            lines = new[] { _a.Extension.Id },
        }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, approved.StatusCode);
        Assert.Equal("application/problem+json", approved.Content.Headers.ContentType?.MediaType);
        await using var owner = database.CreateOwnerContext();
        var device = await owner.Devices.SingleAsync(d => d.Mac == _a.Device.Mac, TestContext.Current.CancellationToken);
        Assert.Equal(_a.Device.Id, device.Id);
        Assert.False(await owner.AuditEvents.AnyAsync(e => e.Action == "device.claim-moved-away", TestContext.Current.CancellationToken));
    }

    private async Task<(HttpStatusCode Status, string Body, double Milliseconds)> ClaimAsync(string mac, string serial)
    {
        var watch = Stopwatch.StartNew();
        using var response = await _resellerB.PostAsJsonAsync($"/api/v1/tenants/{_b.Tenant.Id}/devices",
            new { mac, vendor = "Yealink", model = "T54W", factorySerial = serial }, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var elapsed = watch.Elapsed.TotalMilliseconds;
        var json = JsonNode.Parse(body)!.AsObject();
        json.Remove("traceId");
        return (response.StatusCode, json.ToJsonString(), elapsed);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
