using System.Net;
using System.Net.Sockets;
using HostedPbx.Testing;
using Npgsql;

namespace HostedPbx.Platform.Tests.Hosting;

/// <summary>Each part starts, answers its health check and stops cleanly, or says in one sentence why it cannot start.</summary>
public sealed class StartupTests(PostgresFixture database)
{
    [Theory]
    [InlineData("Switch")]
    [InlineData("Provisioning")]
    [InlineData("Web")]
    public async Task Part_ValidSettings_AnswersHealthAndStopsOnSigterm(string part)
    {
        var port = PartProcess.FreePort();
        await using var process = PartProcess.Start(part, Settings(part, port));

        await process.WaitHealthyAsync(new Uri($"http://127.0.0.1:{port}/health"));
        var exitCode = await process.StopAsync();

        Assert.Equal(0, exitCode);
    }

    [Theory]
    [InlineData("Switch")]
    [InlineData("Provisioning")]
    [InlineData("Web")]
    public async Task Part_MissingConnectionString_ExitsNamingTheSetting(string part)
    {
        var settings = Settings(part, PartProcess.FreePort());
        settings["Database__ConnectionString"] = "";
        await using var process = PartProcess.Start(part, settings);

        Assert.Equal(1, await process.WaitForExitAsync());
        Assert.Contains("Database:ConnectionString is missing", process.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", process.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Switch_DatabaseUnreachable_ExitsSayingItDoesNotAnswer()
    {
        var settings = Settings("Switch", PartProcess.FreePort());
        settings["Database__ConnectionString"] = $"Host=127.0.0.1;Port={PartProcess.FreePort()};Database=x;Username=hostedpbx_switch;Timeout=3";
        await using var process = PartProcess.Start("Switch", settings);

        Assert.Equal(1, await process.WaitForExitAsync());
        Assert.Contains("does not answer", process.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Switch_SchemaBehind_ExitsAskingForMigrate()
    {
        var empty = database.DatabaseName + "_empty";
        await using (var admin = new NpgsqlConnection(database.OwnerConnectionString))
        {
            await admin.OpenAsync(TestContext.Current.CancellationToken);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {empty}; ", admin);
            await drop.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {empty}", admin);
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var settings = Settings("Switch", PartProcess.FreePort());
        settings["Database__ConnectionString"] = new NpgsqlConnectionStringBuilder(database.OwnerConnectionString) { Database = empty }.ConnectionString;
        await using var process = PartProcess.Start("Switch", settings);

        Assert.Equal(1, await process.WaitForExitAsync());
        Assert.Contains("behind this build", process.Error, StringComparison.Ordinal);
        Assert.Contains("./pbx migrate", process.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Switch_AdminPortInUse_ExitsNamingThePort()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        await using var process = PartProcess.Start("Switch", Settings("Switch", port));

        Assert.Equal(1, await process.WaitForExitAsync());
        Assert.Contains("another program holds that port", process.Error, StringComparison.Ordinal);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), process.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Switch_MalformedSipListen_ExitsNamingTheSetting()
    {
        var settings = Settings("Switch", PartProcess.FreePort());
        settings["Switch__SipListen"] = "localhost:sip";
        await using var process = PartProcess.Start("Switch", settings);

        Assert.Equal(1, await process.WaitForExitAsync());
        Assert.Contains("Switch:SipListen", process.Error, StringComparison.Ordinal);
    }

    private Dictionary<string, string?> Settings(string part, int port)
    {
        var endpoint = part switch { "Switch" => "Admin", "Provisioning" => "Api", _ => "Https" };
        var settings = new Dictionary<string, string?>
        {
            ["Database__ConnectionString"] = part == "Switch" ? database.SwitchConnectionString : database.AppConnectionString,
            [$"Kestrel__Endpoints__{endpoint}__Url"] = $"http://127.0.0.1:{port}",
            ["Keys__MasterKey"] = Convert.ToBase64String(new byte[32]),
        };
        var (certificate, key) = TestServerCertificate.Files;
        if (part == "Provisioning")
        {
            settings["Kestrel__Endpoints__Provision__Url"] = $"https://127.0.0.1:{PartProcess.FreePort()}";
            settings["Kestrel__Endpoints__Provision__Certificate__Path"] = certificate;
            settings["Kestrel__Endpoints__Provision__Certificate__KeyPath"] = key;
            settings["Provisioning__SwitchCaPath"] = certificate;
        }

        if (part == "Switch")
        {
            settings["Switch__SipListen"] = $"127.0.0.1:{PartProcess.FreePort()}";
            // A node name of its own: a switch an earlier case stopped without leaving holds its name for 30 s.
            settings["Switch__NodeName"] = $"startup-{Guid.NewGuid():N}";
            settings["Switch__CertificatePath"] = certificate;
            settings["Switch__PrivateKeyPath"] = key;
        }

        return settings;
    }
}
