using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.EndToEndTests.Support;

/// <summary>
/// One switch for the SIPp scenarios, which do not disturb each other: a baresip handset registered as 202 that
/// answers by itself, and a TLS tunnel presenting 201's device certificate for SIPp to call through.
/// </summary>
public sealed class SippSwitchFixture(PostgresFixture database) : IAsyncLifetime
{
    private SwitchUnderTest? _switch;
    private BaresipPeer? _callee;
    private TlsTunnel? _tunnel;

    internal SwitchUnderTest Switch => _switch!;

    internal BaresipPeer Callee => _callee!;

    /// <summary>Plain TCP in, TLS out with extension 201's device certificate.</summary>
    internal TlsTunnel As201 => _tunnel!;

    internal string Speech { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        Tool.Require("sipp");
        var cancel = TestContext.Current.CancellationToken;
        await database.ResetAsync();
        _switch = await SwitchUnderTest.StartAsync(database, cancel);
        // Two minutes of silence after the speech: the callee (baresip hangs up when its source ends) stays in a call
        // until the scenario's own BYE, however long its transactions take on a slow machine.
        Speech = await Audio.MakeSpeechAsync(_switch.WorkDirectory, 0.5, 120, cancel);
        var ca = _switch.Root.Certificate.ExportCertificatePem();
        _callee = BaresipPeer.Start(_switch.WorkDirectory, "bob", "202", _switch.SipPort, _switch.DeviceCertificate("202").CombinedPem(), ca, Speech, 300);
        _tunnel = await TlsTunnel.StartAsync(Path.Combine(_switch.WorkDirectory, "tunnel"), "201", _switch.SipPort, _switch.DeviceCertificate("201").CombinedPem(), ca, cancel);
        await WaitRegisteredAsync("202", _callee);
    }

    /// <summary>
    /// Waits until <paramref name="peer"/> got its REGISTER answered and the registration is on record (a row alone
    /// could be an earlier handset's for the same extension).
    /// </summary>
    internal async Task WaitRegisteredAsync(string extension, BaresipPeer peer)
    {
        await Eventually.GetAsync(async () =>
        {
            if (!peer.Log.Contains("200 OK", StringComparison.Ordinal))
            {
                return null;
            }

            await using var db = database.CreateOwnerContext();
            return await db.Registrations.AsNoTracking()
                .Where(r => db.Extensions.Any(e => e.Id == r.ExtensionId && e.Number == extension))
                .Select(r => (object?)r.Id).FirstOrDefaultAsync();
        }, TimeSpan.FromSeconds(20), () => $"{extension}'s REGISTER\n{Switch.Output}{peer.Log}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_tunnel is not null)
        {
            await _tunnel.DisposeAsync();
        }

        if (_callee is not null)
        {
            await _callee.DisposeAsync();
        }

        if (_switch is not null)
        {
            await _switch.DisposeAsync();
        }
    }
}
