using HostedPbx.Data.Entities;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests.Pstn;

/// <summary>
/// What each legacy-carrier test (issue 11) starts from, as the Kamailio carrier's tests share theirs: the switch with a
/// plain-trunk port (UDP and TCP), the legacy carrier (<see cref="PlainCarrier"/>, talking longer than the handset so the
/// handset hangs up and its BYE goes to the carrier), the tenant's trunk to it over plain UDP or TCP with or without the
/// operator's leave, a capture of both legs when asked, one handset registered with its device certificate (201 calling
/// out, or 202 that the tenant's number rings), and the switch ready to use the trunk. What it started stops in reverse.
/// </summary>
internal sealed class PlainCarrierScene : IAsyncDisposable
{
    /// <summary>The carrier's own number: what 201 dials, and the caller ID of its calls in.</summary>
    public const string Dialled = "+4930123456";

    private readonly List<IAsyncDisposable> _started = [];
    private readonly PostgresFixture _database;

    private PlainCarrierScene(PostgresFixture database, SwitchUnderTest sut, int plainPort)
    {
        _database = database;
        Sut = sut;
        PlainPort = plainPort;
        _started.Add(sut);
    }

    public SwitchUnderTest Sut { get; }

    /// <summary>The switch's plain-trunk port, for UDP and TCP alike.</summary>
    public int PlainPort { get; }

    public BaresipPeer Carrier { get; private set; } = null!;

    public Trunk Trunk { get; private set; } = null!;

    /// <summary>The capture of the switch's media ports, its TLS port and the plain trunk's traffic; null when not asked for.</summary>
    public LoopbackCapture? Capture { get; private set; }

    public BaresipPeer Handset { get; private set; } = null!;

    public string HandsetNumber { get; private set; } = "";

    /// <summary>What the handset says (a WAV file).</summary>
    public string HandsetSpeech { get; private set; } = "";

    /// <summary>What the carrier says: longer than the handset.</summary>
    public string CarrierSpeech { get; private set; } = "";

    public static async Task<PlainCarrierScene> StartAsync(
        PostgresFixture database, (string Name, string Number) handset, TrunkTransport transport, bool plainAllowed, bool capture, CancellationToken cancellationToken)
    {
        // Free for UDP and TCP: RFC 3261 §18.2.1, the switch listens on both at the plain-trunk port.
        var plainPort = PartProcess.FreePort();
        var sut = await SwitchUnderTest.StartAsync(
            database, new Dictionary<string, string?> { ["Switch__PlainTrunkListen"] = $"127.0.0.1:{plainPort}" }, null, cancellationToken);
        var scene = new PlainCarrierScene(database, sut, plainPort) { HandsetNumber = handset.Number };
        try
        {
            var platformCa = sut.Root.Certificate.ExportCertificatePem();
            scene.HandsetSpeech = await Audio.MakeSpeechAsync(sut.WorkDirectory, cancellationToken);
            scene.CarrierSpeech = await Audio.MakeSpeechAsync(sut.WorkDirectory, 0.5, 4, cancellationToken);
            // baresip listens for SIP over TCP on the same port as over UDP.
            scene.Carrier = scene.Started(PlainCarrier.Start(sut.WorkDirectory, Dialled, scene.CarrierSpeech, 60));
            scene.Trunk = await PlainCarrier.SeedAsync(database, sut, scene.Carrier.SipPort, plainAllowed, handset.Number, transport, cancellationToken);
            if (capture)
            {
                var (min, max) = sut.MediaPorts;
                var plain = transport == TrunkTransport.Tcp ? $"(port {scene.Carrier.SipPort}) or (port {plainPort})" : $"(udp port {plainPort})";
                scene.Capture = scene.Started(await LoopbackCapture.StartAsync(
                    sut.WorkDirectory, $"(udp portrange {min}-{max}) or (tcp port {sut.SipPort}) or {plain}", cancellationToken));
            }

            scene.Handset = scene.Started(BaresipPeer.Start(
                sut.WorkDirectory, handset.Name, handset.Number, sut.SipPort, sut.DeviceCertificate(handset.Number).CombinedPem(), platformCa, scene.HandsetSpeech, 60));
            // A UDP trunk's flow opens as the switch reads the directory; a TCP trunk has no connection before the first call,
            // so the line that it is known is what to wait for; a trunk without the leave is never used.
            var (readyLine, ready) = (plainAllowed, transport) switch
            {
                (false, _) => ((string?)null, "registered"),
                (true, TrunkTransport.Tcp) => ("allowed over TCP at", "registered and the plain TCP trunk known"),
                (true, _) => ("Plain trunks: flow", "registered and the plain trunk's flow open"),
            };
            await Eventually.GetAsync(async () =>
            {
                await using var db = database.CreateOwnerContext();
                return await db.Registrations.AnyAsync(cancellationToken) && (readyLine is null || sut.Output.Contains(readyLine, StringComparison.Ordinal)) ? (object?)true : null;
            }, TimeSpan.FromSeconds(30), () => $"{handset.Number} {ready}\n" + sut.Output + scene.Handset.Log + scene.Carrier.Log);
            return scene;
        }
        catch
        {
            await scene.DisposeAsync();
            throw;
        }
    }

    /// <summary>The call's record once it has ended and its security statement is stored, with its legs.</summary>
    public Task<CallRecord> EndedCallAsync(CancellationToken cancellationToken) => Eventually.GetAsync(async () =>
    {
        await using var db = _database.CreateOwnerContext();
        return await db.CallRecords.AsNoTracking().Include(c => c.Legs).FirstOrDefaultAsync(c => c.EndedAt != null && c.SecurityStatement != null, cancellationToken);
    }, TimeSpan.FromSeconds(60), () => "the call record\n" + Sut.Output + Handset.Log + Carrier.Log);

    /// <summary>What the carrier and the handset heard, as each recorded it (a WAV file each).</summary>
    public async Task<(string ByCarrier, string ByHandset)> RecordingsAsync() =>
        (await RecordingAsync(Carrier, "the carrier's recording"), await RecordingAsync(Handset, $"{HandsetNumber}'s recording"));

    /// <summary>Each side heard the other: what the carrier and the handset recorded against what the other said.</summary>
    public void AssertSpeechBothWays(string heardByCarrier, string heardByHandset, string carrierName)
    {
        var atCarrier = Audio.MaxNormalizedCorrelation(Audio.ReadWav(HandsetSpeech), Audio.ReadWav(heardByCarrier), 16000);
        var atHandset = Audio.MaxNormalizedCorrelation(Audio.ReadWav(CarrierSpeech), Audio.ReadWav(heardByHandset), 16000);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"speech correlation: {HandsetNumber} → {carrierName} {atCarrier:0.0000}, {carrierName} → {HandsetNumber} {atHandset:0.0000}");
        Assert.True(atCarrier >= 0.9, $"{HandsetNumber}'s speech at the carrier: correlation {atCarrier:0.000}");
        Assert.True(atHandset >= 0.9, $"the carrier's speech at {HandsetNumber}: correlation {atHandset:0.000}");
    }

    public async ValueTask DisposeAsync()
    {
        // Peers first, the switch last: the reverse of their start.
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].DisposeAsync();
        }
    }

    private static Task<string> RecordingAsync(BaresipPeer peer, string what) => Eventually.GetAsync(
        () => Task.FromResult(Directory.GetFiles(peer.RecordingDirectory, "dump-*-dec.wav").FirstOrDefault()), TimeSpan.FromSeconds(20), () => what + "\n" + peer.Log);

    private T Started<T>(T started)
        where T : IAsyncDisposable
    {
        _started.Add(started);
        return started;
    }
}
