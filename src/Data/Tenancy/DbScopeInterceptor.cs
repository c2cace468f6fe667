using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace HostedPbx.Data.Tenancy;

/// <summary>
/// Sets the context's scope on every connection it opens. All three settings are written every time, so a pooled
/// connection never carries an earlier caller's scope.
/// </summary>
internal sealed class DbScopeInterceptor : DbConnectionInterceptor
{
    private const string SetScopeSql =
        "SELECT set_config('hostedpbx.scope', @kind, false), set_config('hostedpbx.reseller_id', @reseller, false),"
        + " set_config('hostedpbx.tenant_id', @tenant, false)";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        Apply(connection, ScopeOf(eventData));
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        await using var command = CreateCommand(connection, ScopeOf(eventData));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static void Apply(DbConnection connection, DbScope scope)
    {
        using var command = CreateCommand(connection, scope);
        command.ExecuteNonQuery();
    }

    private static DbScope ScopeOf(ConnectionEndEventData eventData) =>
        eventData.Context is PbxDbContext db ? db.Scope : DbScope.None;

    private static DbCommand CreateCommand(DbConnection connection, DbScope scope)
    {
        var command = connection.CreateCommand();
        command.CommandText = SetScopeSql;
        command.Parameters.Add(new NpgsqlParameter("kind", ScopeName(scope.Kind)));
        command.Parameters.Add(new NpgsqlParameter("reseller", scope.ResellerId?.ToString() ?? ""));
        command.Parameters.Add(new NpgsqlParameter("tenant", scope.TenantId?.ToString() ?? ""));
        return command;
    }

    internal static string ScopeName(DbScopeKind kind) => kind switch
    {
        DbScopeKind.None => "none",
        DbScopeKind.Operator => "operator",
        DbScopeKind.System => "system",
        DbScopeKind.Reseller => "reseller",
        DbScopeKind.Tenant => "tenant",
    };
}
