using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HostedPbx.Data.Migrations
{
    /// <inheritdoc />
    public partial class SwitchNodeCalls : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "switch_node_calls",
                columns: table => new
                {
                    node_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    call_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    answered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_switch_node_calls", x => new { x.node_name, x.call_id });
                    table.ForeignKey(
                        name: "fk_switch_node_calls_switch_nodes_node_name",
                        column: x => x.node_name,
                        principalTable: "switch_nodes",
                        principalColumn: "name",
                        onDelete: ReferentialAction.Cascade);
                });

            // Each switch node replaces its own rows every heartbeat and reads the other live nodes' (toll-fraud limits
            // across nodes); the API and portal may read their tenant's rows only.
            migrationBuilder.Sql("""
                ALTER TABLE switch_node_calls ENABLE ROW LEVEL SECURITY;
                CREATE POLICY app_scope ON switch_node_calls FOR SELECT TO hostedpbx_app
                    USING ((SELECT pbx_scope_is_platform()) OR tenant_id = ANY ((SELECT pbx_scope_tenant_ids())::uuid[]));
                CREATE POLICY switch_write ON switch_node_calls FOR ALL TO hostedpbx_switch USING (true) WITH CHECK (true);
                GRANT SELECT ON switch_node_calls TO hostedpbx_app;
                GRANT SELECT, INSERT, DELETE ON switch_node_calls TO hostedpbx_switch;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("REVOKE ALL ON switch_node_calls FROM hostedpbx_app, hostedpbx_switch;");
            migrationBuilder.DropTable(
                name: "switch_node_calls");
        }
    }
}
