using System.ComponentModel.DataAnnotations;

namespace HostedPbx.Data;

/// <summary>How a part reaches PostgreSQL. Each part connects as its own role (shared/DESIGN.md, "Tenancy").</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>
    /// Npgsql connection string of this part's role (hostedpbx_app or hostedpbx_switch). For a database that fails
    /// over, name every node and only the writable one: <c>Host=db1:5432,db2:5432;Target Session Attributes=read-write</c>
    /// (with <c>Host Recheck Seconds=2</c> a promoted replica is found sooner). The password comes as <c>Password=</c>
    /// or from a password file, <c>Passfile=</c>.
    /// </summary>
    [Required(ErrorMessage = "Database:ConnectionString is missing: set it (environment variable Database__ConnectionString) to the PostgreSQL connection string.")]
    public string ConnectionString { get; set; } = "";
}
