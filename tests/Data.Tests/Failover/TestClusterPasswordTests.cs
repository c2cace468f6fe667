using HostedPbx.Testing;
using Npgsql;

namespace HostedPbx.Data.Tests.Failover;

/// <summary>Issue 15: the tests' PostgreSQL (as ./pbx starts it) asks every TCP connection for a password, and the parts' roles have one.</summary>
public sealed class TestClusterPasswordTests(PostgresFixture database)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("postgres")]
    [InlineData("hostedpbx_app")]
    [InlineData("hostedpbx_switch")]
    public async Task TcpWithoutPassword_IsRefused(string role)
    {
        var builder = new NpgsqlConnectionStringBuilder(database.OwnerConnectionString) { Username = role, Password = null, Passfile = "/dev/null", Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);

        var refused = await Assert.ThrowsAnyAsync<NpgsqlException>(() => connection.OpenAsync(Cancel));

        Assert.Contains("password", refused.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PartsRoles_WithTheirPassword_Connect()
    {
        foreach (var connectionString in new[] { database.AppConnectionString, database.SwitchConnectionString })
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(Cancel);
            Assert.Equal(System.Data.ConnectionState.Open, connection.State);
        }
    }
}
