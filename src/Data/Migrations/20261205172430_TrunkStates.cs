using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HostedPbx.Data.Migrations
{
    /// <inheritdoc />
    public partial class TrunkStates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "trunk_states",
                columns: table => new
                {
                    trunk_id = table.Column<Guid>(type: "uuid", nullable: false),
                    node_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    state = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    since = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    reason = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_trunk_states", x => new { x.trunk_id, x.node_name });
                    table.CheckConstraint("ck_trunk_states_state_values", "state IN ('Up', 'Down')");
                    table.ForeignKey(
                        name: "fk_trunk_states_trunks_tenant_id_trunk_id",
                        columns: x => new { x.tenant_id, x.trunk_id },
                        principalTable: "trunks",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_trunk_states_tenant_id",
                table: "trunk_states",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_trunk_states_tenant_id_trunk_id",
                table: "trunk_states",
                columns: new[] { "tenant_id", "trunk_id" });

            // The switch writes each node's view of every trunk; the API and portal read their tenant's rows only.
            migrationBuilder.Sql("""
                ALTER TABLE trunk_states ENABLE ROW LEVEL SECURITY;
                CREATE POLICY app_scope ON trunk_states FOR SELECT TO hostedpbx_app
                    USING ((SELECT pbx_scope_is_platform()) OR tenant_id = ANY ((SELECT pbx_scope_tenant_ids())::uuid[]));
                CREATE POLICY switch_write ON trunk_states FOR ALL TO hostedpbx_switch USING (true) WITH CHECK (true);
                GRANT SELECT ON trunk_states TO hostedpbx_app;
                GRANT SELECT, INSERT, UPDATE, DELETE ON trunk_states TO hostedpbx_switch;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("REVOKE ALL ON trunk_states FROM hostedpbx_app, hostedpbx_switch;");
            migrationBuilder.DropTable(
                name: "trunk_states");
        }
    }
}
