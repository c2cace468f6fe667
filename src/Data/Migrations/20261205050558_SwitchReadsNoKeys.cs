using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HostedPbx.Data.Migrations
{
    /// <summary>
    /// The switch's role reads trust anchors and device certificates column by column, every column but the encrypted
    /// private keys (the platform CA's and the one-time download's): a query bug or an injected statement in the switch
    /// cannot reach a key. A column added later is not the switch's until a migration grants it.
    /// </summary>
    public partial class SwitchReadsNoKeys : Migration
    {
        private static readonly string[] Tables = ["trust_anchors", "device_certificates"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Tables)
            {
                migrationBuilder.Sql($"""
                    REVOKE SELECT ON {table} FROM hostedpbx_switch;
                    DO $$
                    BEGIN
                        EXECUTE (SELECT 'GRANT SELECT (' || string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position)
                            || ') ON {table} TO hostedpbx_switch'
                            FROM information_schema.columns
                            WHERE table_schema = 'public' AND table_name = '{table}' AND column_name <> 'protected_private_key');
                    END
                    $$;
                    """);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Tables)
            {
                migrationBuilder.Sql($"""
                    DO $$
                    BEGIN
                        EXECUTE (SELECT 'REVOKE SELECT (' || string_agg(quote_ident(column_name), ', ') || ') ON {table} FROM hostedpbx_switch'
                            FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '{table}');
                    END
                    $$;
                    GRANT SELECT ON {table} TO hostedpbx_switch;
                    """);
            }
        }
    }
}
