using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HostedPbx.Data.Migrations
{
    /// <inheritdoc />
    public partial class SwitchNodes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_call_records_type_values",
                table: "call_records");

            migrationBuilder.DropCheckConstraint(
                name: "ck_call_legs_kind_values",
                table: "call_legs");

            migrationBuilder.CreateTable(
                name: "switch_nodes",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    sip_address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    certificate_fingerprint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_heartbeat_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    draining = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_switch_nodes", x => x.name);
                });

            migrationBuilder.AddCheckConstraint(
                name: "ck_call_records_type_values",
                table: "call_records",
                sql: "type IN ('ExtensionToExtension', 'Voicemail', 'OutboundPstn', 'InboundPstn', 'AcrossNodes')");

            migrationBuilder.AddCheckConstraint(
                name: "ck_call_legs_kind_values",
                table: "call_legs",
                sql: "kind IN ('Handset', 'Trunk', 'Voicemail', 'Recorder', 'Node')");

            migrationBuilder.CreateIndex(
                name: "ix_switch_nodes_last_heartbeat_at",
                table: "switch_nodes",
                column: "last_heartbeat_at");

            // Not a tenant's row: every node reads the others' and writes its own (and expires a dead one's); the
            // portal only reads them.
            migrationBuilder.Sql("""
                GRANT SELECT, INSERT, UPDATE, DELETE ON switch_nodes TO hostedpbx_switch;
                GRANT SELECT ON switch_nodes TO hostedpbx_app;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("REVOKE ALL ON switch_nodes FROM hostedpbx_app, hostedpbx_switch;");
            migrationBuilder.DropTable(
                name: "switch_nodes");

            migrationBuilder.DropCheckConstraint(
                name: "ck_call_records_type_values",
                table: "call_records");

            migrationBuilder.DropCheckConstraint(
                name: "ck_call_legs_kind_values",
                table: "call_legs");

            migrationBuilder.AddCheckConstraint(
                name: "ck_call_records_type_values",
                table: "call_records",
                sql: "type IN ('ExtensionToExtension', 'Voicemail', 'OutboundPstn', 'InboundPstn')");

            migrationBuilder.AddCheckConstraint(
                name: "ck_call_legs_kind_values",
                table: "call_legs",
                sql: "kind IN ('Handset', 'Trunk', 'Voicemail', 'Recorder')");
        }
    }
}
