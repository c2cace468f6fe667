using System.Net.Sockets;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;

namespace HostedPbx.Switch.EndToEndTests.Identity;

/// <summary>
/// Found by attack: 200 mutual-TLS connections that each sent half a SIP header were all still held after 75 s. Against
/// the running switch, with small limits so the test is short: a device holds at most its cap of connections, a slow
/// header is closed at its deadline, and handshakes in progress from one address are capped and timed out.
/// </summary>
public sealed class ConnectionFloodTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task HalfHeadersFromOneDevice_AtMostItsCapHeldAndAllClosedAtThePartialMessageDeadline()
    {
        var settings = new Dictionary<string, string?> { ["Switch__MaxConnectionsPerDevice"] = "4", ["Switch__PartialMessageSeconds"] = "2" };
        await using var sut = await SwitchUnderTest.StartAsync(database, settings, null, _cancel);
        var flood = new List<HandsetConnection>();
        for (var i = 0; i < 12; i++)
        {
            var connection = await HandsetConnection.OpenAsync(sut, sut.DeviceCertificate("201"), _cancel);
            await connection.SendHalfAHeaderAsync(_cancel);
            flood.Add(connection);
        }

        var closedAfter = await Task.WhenAll(flood.Select(c => c.WaitUntilClosedAsync(TimeSpan.FromSeconds(15), _cancel)));

        Assert.All(closedAfter, c => Assert.NotNull(c));
        // Beyond the cap a connection is closed as soon as its handshake ends; the 4 held ones last until the deadline.
        Assert.True(closedAfter.Count(c => c < TimeSpan.FromSeconds(1)) >= 8, string.Join(", ", closedAfter.Select(c => $"{c!.Value.TotalMilliseconds:0} ms")) + "\n" + sut.Output);
        Assert.All(closedAfter, c => Assert.True(c < TimeSpan.FromSeconds(6), $"a slow header held for {c!.Value.TotalSeconds:0.0} s\n" + sut.Output));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(", ", closedAfter.Select(c => $"{c!.Value.TotalMilliseconds:0} ms")));
        foreach (var connection in flood)
        {
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task SilentTcpConnections_BeyondTheHandshakeCapDroppedAtOnceTheRestAtTheHandshakeDeadline()
    {
        var settings = new Dictionary<string, string?> { ["Switch__MaxHandshakesPerAddress"] = "5", ["Switch__HandshakeTimeoutSeconds"] = "2" };
        await using var sut = await SwitchUnderTest.StartAsync(database, settings, null, _cancel);
        var sockets = new List<TcpClient>();
        var started = TimeProvider.System.GetTimestamp();
        for (var i = 0; i < 8; i++)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", sut.SipPort, _cancel);
            sockets.Add(tcp);
        }

        var closedAfter = await Task.WhenAll(sockets.Select(async s =>
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(_cancel);
            bound.CancelAfter(TimeSpan.FromSeconds(15));
            try
            {
                while (await s.GetStream().ReadAsync(new byte[64], bound.Token) > 0)
                {
                }
            }
            catch (IOException)
            {
            }

            return TimeProvider.System.GetElapsedTime(started);
        }));

        var report = string.Join(", ", closedAfter.Select(c => $"{c.TotalMilliseconds:0} ms")) + "\n" + sut.Output;
        Assert.True(3 == closedAfter.Count(c => c < TimeSpan.FromSeconds(1.5)), report);
        Assert.True(5 == closedAfter.Count(c => c >= TimeSpan.FromSeconds(1.9) && c < TimeSpan.FromSeconds(8)), report);
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }
    }
}
