using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests.Observability;

/// <summary>
/// The three parts running as processes on free loopback ports (the switch with its e2e tenant, Provisioning and Web
/// over plain HTTP), and a way to put one answered call through the switch with two real baresip handsets.
/// </summary>
internal sealed class ObservedPlatform : IAsyncDisposable
{
    private readonly PostgresFixture _database;

    private ObservedPlatform(PostgresFixture database, SwitchUnderTest sw, PartProcess web, int webPort, PartProcess provisioning, int provisioningPort, string masterKey)
    {
        _database = database;
        Switch = sw;
        Web = web;
        WebPort = webPort;
        Provisioning = provisioning;
        ProvisioningPort = provisioningPort;
        MasterKey = masterKey;
    }

    public SwitchUnderTest Switch { get; }

    public PartProcess Web { get; }

    public int WebPort { get; }

    public PartProcess Provisioning { get; }

    public int ProvisioningPort { get; }

    /// <summary>The master key Web and Provisioning were given: it must never show in a scrape.</summary>
    public string MasterKey { get; }

    /// <summary>Each part's scrape address, by the job name a Prometheus configuration gives it.</summary>
    public IReadOnlyDictionary<string, string> Targets => new Dictionary<string, string>
    {
        ["switch"] = $"127.0.0.1:{Switch.AdminPort}",
        ["web"] = $"127.0.0.1:{WebPort}",
        ["provisioning"] = $"127.0.0.1:{ProvisioningPort}",
    };

    public string Output => Switch.Output + Web.Error + Provisioning.Error;

    public static async Task<ObservedPlatform> StartAsync(PostgresFixture database, CancellationToken cancellationToken)
    {
        var masterKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var sw = await SwitchUnderTest.StartAsync(database, cancellationToken);
        var (certificate, key) = TestServerCertificate.Files;
        var webPort = PartProcess.FreePort();
        var web = PartProcess.Start("Web", new Dictionary<string, string?>
        {
            ["Database__ConnectionString"] = database.AppConnectionString,
            ["Kestrel__Endpoints__Https__Url"] = $"http://127.0.0.1:{webPort}",
            ["Keys__MasterKey"] = masterKey,
        });
        var provisioningPort = PartProcess.FreePort();
        var provisioning = PartProcess.Start("Provisioning", new Dictionary<string, string?>
        {
            ["Database__ConnectionString"] = database.AppConnectionString,
            ["Kestrel__Endpoints__Api__Url"] = $"http://127.0.0.1:{provisioningPort}",
            ["Kestrel__Endpoints__Provision__Url"] = $"https://127.0.0.1:{PartProcess.FreePort()}",
            ["Kestrel__Endpoints__Provision__Certificate__Path"] = certificate,
            ["Kestrel__Endpoints__Provision__Certificate__KeyPath"] = key,
            ["Provisioning__SwitchCaPath"] = certificate,
            ["Keys__MasterKey"] = masterKey,
        });
        var platform = new ObservedPlatform(database, sw, web, webPort, provisioning, provisioningPort, masterKey);
        try
        {
            await WaitHealthyAsync(web, webPort);
            await WaitHealthyAsync(provisioning, provisioningPort);
            return platform;
        }
        catch
        {
            // Nothing left running when a part does not come up.
            await platform.DisposeAsync();
            throw;
        }
    }

    /// <summary>Registers 201 and 202, and 201 calls 202, who answers; 201 hangs up; returns once the call is on record as ended.</summary>
    public async Task CallAsync(Func<Task> whileRegistered, CancellationToken cancellationToken)
    {
        var speech = await Audio.MakeSpeechAsync(Switch.WorkDirectory, cancellationToken);
        var ca = Switch.Root.Certificate.ExportCertificatePem();
        await using var bob = BaresipPeer.Start(Switch.WorkDirectory, "bob", "202", Switch.SipPort, Switch.DeviceCertificate("202").CombinedPem(), ca, speech, 300);
        await using var alice = BaresipPeer.Start(Switch.WorkDirectory, "alice", "201", Switch.SipPort, Switch.DeviceCertificate("201").CombinedPem(), ca, speech, 300);
        await Eventually.GetAsync(async () =>
        {
            await using var db = _database.CreateOwnerContext();
            return await db.Registrations.CountAsync(cancellationToken) >= 2 ? "registered" : null;
        }, TimeSpan.FromSeconds(30), () => "both REGISTERs\n" + Switch.Output + alice.Log + bob.Log);
        await whileRegistered();
        await alice.CommandAsync("dial", $"sip:202@127.0.0.1:{Switch.SipPort}", cancellationToken);
        await Eventually.GetAsync(async () =>
        {
            await using var db = _database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().FirstOrDefaultAsync(c => c.AnsweredAt != null, cancellationToken);
        }, TimeSpan.FromSeconds(30), () => "the answered call\n" + Switch.Output + alice.Log);
        await alice.CommandAsync("hangup", "", cancellationToken);
        await Eventually.GetAsync(async () =>
        {
            await using var db = _database.CreateOwnerContext();
            return await db.CallRecords.AsNoTracking().FirstOrDefaultAsync(c => c.EndedAt != null, cancellationToken);
        }, TimeSpan.FromSeconds(30), () => "the ended call\n" + Switch.Output + alice.Log);
    }

    /// <summary>
    /// Three parts start at once on a machine that may be busy: a slow answer is waited for (bounded generously), where
    /// <see cref="PartProcess.WaitHealthyAsync"/> gives up after one minute or one 5 s request.
    /// </summary>
    public static async Task WaitHealthyAsync(PartProcess part, int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await Eventually.GetAsync(async () =>
        {
            try
            {
                return await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/health")) == "Healthy" ? "healthy" : null;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return null;
            }
        }, TimeSpan.FromMinutes(3), () => $"port {port} to answer Healthy\n{part.Error}\n{part.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        await Provisioning.DisposeAsync();
        await Web.DisposeAsync();
        await Switch.DisposeAsync();
    }
}
