using System.ComponentModel.DataAnnotations;

namespace HostedPbx.Data;

/// <summary>How a part reaches PostgreSQL. Each part connects as its own role (shared/DESIGN.md, "Tenancy").</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>Npgsql connection string of this part's role (hostedpbx_app or hostedpbx_switch).</summary>
    [Required(ErrorMessage = "Database:ConnectionString is missing: set it (environment variable Database__ConnectionString) to the PostgreSQL connection string.")]
    public string ConnectionString { get; set; } = "";
}
