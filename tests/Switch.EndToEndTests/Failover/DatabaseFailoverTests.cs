using HostedPbx.Data.Certificates;
using HostedPbx.Data.Devices;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.EndToEndTests.Identity;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using HostedPbx.Testing.Failover;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests.Failover;

/// <summary>
/// Issue 14's failover test: the real switch over a Patroni pair, real baresip handsets in a call and a burst of
/// registrations from other handsets; the leader dies (kill -9 of Patroni and PostgreSQL, as a host that dies). The
/// call's audio goes on, a call placed during the failover connects, and once the replica is promoted every
/// registration and call is on record, each call once.
/// </summary>
public sealed class DatabaseFailoverTests : IAsyncLifetime
{
    private const int BurstSize = 12;
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;
    private PatroniPair? _pair;
    private PostgresFixture? _database;

    public async ValueTask InitializeAsync()
    {
        _pair = await PatroniPair.StartAsync();
        _database = await PostgresFixture.CreateAsync(_pair.OwnerConnectionString, "hostedpbx_failover");
    }

    [Fact]
    public async Task LeaderKilledDuringCallAndRegistrations_AudioContinues_EveryRegistrationAndCallLands()
    {
        var database = _database!;
        await using var sut = await SwitchUnderTest.StartAsync(database, _cancel);
        var burst = new List<(string Number, IssuedCertificate Certificate)>();
        foreach (var number in Enumerable.Range(300, BurstSize).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            burst.Add((number, await AddHandsetAsync(database, sut, number)));
        }

        using var daveCertificate = await AddHandsetAsync(database, sut, "204");
        // The switch learns of the new handsets through NOTIFY: the last one's handshake succeeds once it has.
        await Eventually.GetAsync(async () => await HandshakeSucceedsAsync(sut, burst[^1].Certificate) ? "known" : null,
            TimeSpan.FromSeconds(30), () => "the switch to know the new handsets\n" + sut.Output);

        // Speech 6 s into the call, while the database is failing over; the call lasts about 20 s.
        var speech = await Audio.MakeSpeechAsync(sut.WorkDirectory, 6, 10, _cancel);
        var ca = sut.Root.Certificate.ExportCertificatePem();
        await using var bob = BaresipPeer.Start(sut.WorkDirectory, "bob", "202", sut.SipPort, sut.DeviceCertificate("202").CombinedPem(), ca, speech, 120);
        await using var alice = BaresipPeer.Start(sut.WorkDirectory, "alice", "201", sut.SipPort, sut.DeviceCertificate("201").CombinedPem(), ca, speech, 120);
        await using var carol = BaresipPeer.Start(sut.WorkDirectory, "carol", "203", sut.SipPort, sut.DeviceCertificate("203").CombinedPem(), ca, speech, 120);
        await using var dave = BaresipPeer.Start(sut.WorkDirectory, "dave", "204", sut.SipPort, daveCertificate.CombinedPem(), ca, speech, 120);
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.Registrations.CountAsync(_cancel) >= 4 ? "registered" : null;
        }, TimeSpan.FromSeconds(30), () => "four handsets registered\n" + sut.Output);
        await alice.CommandAsync("dial", $"sip:202@127.0.0.1:{sut.SipPort}", _cancel);
        await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().FirstOrDefaultAsync(c => c.AnsweredAt != null, _cancel);
        }, TimeSpan.FromSeconds(30), () => "the first call answered\n" + sut.Output + alice.Log);

        var killed = await _pair!.CrashLeaderAsync();
        var killedAt = TimeProvider.System.GetTimestamp();

        // While no node is primary: a burst of registrations, and a second call.
        // Each stays connected: a handset's binding lives as long as its connection.
        var connections = await Task.WhenAll(burst.Select(handset => HandsetConnection.OpenAsync(sut, handset.Certificate, _cancel)));
        var statuses = await Task.WhenAll(burst.Select((handset, i) => connections[i].RegisterAsync(handset.Number, sut.SipPort, _cancel)));
        await carol.CommandAsync("dial", $"sip:204@127.0.0.1:{sut.SipPort}", _cancel);
        var wasDown = await DatabaseDownAsync(database);

        var registered = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            var count = await db.Registrations.Select(r => r.ExtensionId).Distinct().CountAsync(_cancel);
            return count == 4 + BurstSize ? (int?)count : null;
        }, TimeSpan.FromSeconds(150), () => $"{4 + BurstSize} registrations on record after the failover of {killed}\n{sut.Output}\n{_pair.Log}");
        var failoverSeconds = TimeProvider.System.GetElapsedTime(killedAt).TotalSeconds;
        var calls = await Eventually.GetAsync(async () =>
        {
            await using var db = database.CreateOwnerContext();
            var ended = await db.CallRecords.AsNoTracking().Where(c => c.EndedAt != null).ToListAsync(_cancel);
            return ended.Count >= 2 ? ended : null;
        }, TimeSpan.FromSeconds(150), () => $"both calls ended on record\n{sut.Output}\n{alice.Log}\n{carol.Log}");
        var received = await Eventually.GetAsync(
            () => Task.FromResult(Directory.GetFiles(bob.RecordingDirectory, "dump-*-dec.wav").FirstOrDefault()),
            TimeSpan.FromSeconds(20), "bob's recording");
        await using var check = database.CreateOwnerContext();
        var allRecords = await check.CallRecords.CountAsync(_cancel);
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }

        Assert.True(wasDown, "the database still took writes right after the leader was killed: the test did not test a failover");
        Assert.All(statuses, s => Assert.Equal(200, s));
        Assert.Equal(4 + BurstSize, registered);
        Assert.Equal(2, allRecords);
        Assert.All(calls, c => Assert.Equal(CallOutcome.Answered, c.Outcome));
        Assert.All(calls, c => Assert.NotNull(c.SecurityStatement));
        var correlation = Audio.MaxNormalizedCorrelation(Audio.ReadWav(speech), Audio.ReadWav(received), 8000);
        Assert.True(correlation > 0.9, $"speech correlation {correlation:0.000} across the failover ({failoverSeconds:0.0} s to every registration)\n{sut.Output}");
        TestContext.Current.SendDiagnosticMessage($"failover of {killed}: every registration on record {failoverSeconds:0.0} s after the kill; speech correlation {correlation:0.000}");
    }

    /// <summary>True when a write through the parts' connection fails right now: no node is primary.</summary>
    private static async Task<bool> DatabaseDownAsync(PostgresFixture database)
    {
        await using var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(database.OwnerConnectionString) { Pooling = false, Timeout = 3 }.ConnectionString);
        try
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("CREATE TEMP TABLE failover_probe (id int)", connection);
            await command.ExecuteNonQueryAsync();
            return false;
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            return true;
        }
    }

    private static async Task<bool> HandshakeSucceedsAsync(SwitchUnderTest sut, IssuedCertificate certificate)
    {
        try
        {
            await using var connection = await HandsetConnection.OpenAsync(sut, certificate, TestContext.Current.CancellationToken);
            return await connection.PingAsync(TestContext.Current.CancellationToken);
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>A handset for <paramref name="number"/> as SwitchUnderTest makes them: extension, device, enrolled certificate from the test device CA.</summary>
    private static async Task<IssuedCertificate> AddHandsetAsync(PostgresFixture database, SwitchUnderTest sut, string number)
    {
        await using var db = database.CreateOwnerContext();
        var now = TimeProvider.System.GetUtcNow();
        var tenantId = sut.Tenant!.Id;
        var anchor = await db.TrustAnchors.SingleAsync(a => a.Name == "E2E Device CA");
        var mac = $"0015651b{number.PadLeft(4, '0')}";
        var issued = sut.Issuer.IssueDevice(sut.DeviceCa, MacAddress.Parse(mac));
        var extension = new Extension { TenantId = tenantId, Number = number, DisplayName = $"Ext {number}", CreatedAt = now };
        var device = new Device { TenantId = tenantId, Mac = mac, Vendor = DeviceVendor.Other, Model = "baresip", CreatedAt = now };
        var certificate = new DeviceCertificate
        {
            TenantId = tenantId, DeviceId = device.Id, IssuerId = anchor.Id, Serial = issued.SerialNumber,
            Fingerprint = issued.Fingerprint, Subject = issued.Certificate.Subject, Mac = mac,
            NotBefore = issued.Certificate.NotBefore.ToUniversalTime(), NotAfter = issued.Certificate.NotAfter.ToUniversalTime(),
            CertificateDer = issued.Certificate.RawData, CreatedAt = now,
        };
        device.Lines.Add(new DeviceLine { TenantId = tenantId, Position = 1, ExtensionId = extension.Id });
        db.AddRange(extension, device, certificate);
        await db.SaveChangesAsync();
        device.ActiveCertificateId = certificate.Id;
        await db.SaveChangesAsync();
        return issued;
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (_pair is not null)
        {
            await _pair.DisposeAsync();
        }
    }
}
