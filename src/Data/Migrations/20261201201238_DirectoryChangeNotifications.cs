using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HostedPbx.Data.Migrations
{
    /// <summary>
    /// shared/DESIGN.md: "PostgreSQL LISTEN/NOTIFY tells [the switch] when to drop a cached entry". A statement-level
    /// trigger on each table the switch caches notifies <c>hostedpbx_directory</c> with the table's name, inside the
    /// writing transaction, so the notice arrives only once the change is committed.
    /// </summary>
    public partial class DirectoryChangeNotifications : Migration
    {
        /// <summary>The channel the switch listens on.</summary>
        public const string Channel = "hostedpbx_directory";

        private static readonly string[] Tables = ["tenants", "extensions", "devices", "device_lines", "device_certificates", "trust_anchors"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                CREATE FUNCTION pbx_notify_directory() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('{Channel}', TG_TABLE_NAME);
                    RETURN NULL;
                END
                $$;
                """);
            foreach (var table in Tables)
            {
                migrationBuilder.Sql($"CREATE TRIGGER notify_directory AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}"
                    + " FOR EACH STATEMENT EXECUTE FUNCTION pbx_notify_directory();");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Tables)
            {
                migrationBuilder.Sql($"DROP TRIGGER notify_directory ON {table};");
            }

            migrationBuilder.Sql("DROP FUNCTION pbx_notify_directory();");
        }
    }
}
