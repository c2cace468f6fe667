using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HostedPbx.Data.Migrations
{
    /// <inheritdoc />
    public partial class LegalHoldsAndRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddUniqueConstraint(
                name: "ak_recordings_tenant_id_id",
                table: "recordings",
                columns: new[] { "tenant_id", "id" });

            migrationBuilder.CreateTable(
                name: "legal_holds",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    scope = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    extension_id = table.Column<Guid>(type: "uuid", nullable: true),
                    recording_id = table.Column<Guid>(type: "uuid", nullable: true),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    placed_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    placed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    lifted_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    lifted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_legal_holds", x => x.id);
                    table.CheckConstraint("ck_legal_holds_lifted", "(lifted_at IS NULL) = (lifted_by IS NULL)");
                    table.CheckConstraint("ck_legal_holds_scope_values", "scope IN ('Tenant', 'Extension', 'Recording')");
                    table.CheckConstraint("ck_legal_holds_target", "(scope = 'Tenant' AND extension_id IS NULL AND recording_id IS NULL) OR (scope = 'Extension' AND extension_id IS NOT NULL AND recording_id IS NULL) OR (scope = 'Recording' AND recording_id IS NOT NULL AND extension_id IS NULL)");
                    table.ForeignKey(
                        name: "fk_legal_holds_extensions_tenant_id_extension_id",
                        columns: x => new { x.tenant_id, x.extension_id },
                        principalTable: "extensions",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_legal_holds_recordings_tenant_id_recording_id",
                        columns: x => new { x.tenant_id, x.recording_id },
                        principalTable: "recordings",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_legal_holds_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_legal_holds_tenant_id_extension_id",
                table: "legal_holds",
                columns: new[] { "tenant_id", "extension_id" });

            migrationBuilder.CreateIndex(
                name: "ix_legal_holds_tenant_id_lifted_at",
                table: "legal_holds",
                columns: new[] { "tenant_id", "lifted_at" });

            migrationBuilder.CreateIndex(
                name: "ix_legal_holds_tenant_id_recording_id",
                table: "legal_holds",
                columns: new[] { "tenant_id", "recording_id" });

            // Legal holds are tenant rows behind the tenant wall; the switch never reads or writes them. The audit trail
            // stays append-only for both application roles (issue 10 item 6), said again here where holds are audited.
            migrationBuilder.Sql("""
                CREATE POLICY app_scope ON legal_holds TO hostedpbx_app
                    USING ((SELECT pbx_scope_is_platform()) OR tenant_id = ANY ((SELECT pbx_scope_tenant_ids())::uuid[]))
                    WITH CHECK ((SELECT pbx_scope_is_platform()) OR tenant_id = ANY ((SELECT pbx_scope_tenant_ids())::uuid[]));
                ALTER TABLE legal_holds ENABLE ROW LEVEL SECURITY;
                REVOKE ALL ON legal_holds FROM hostedpbx_switch;
                GRANT SELECT, INSERT, UPDATE ON legal_holds TO hostedpbx_app;
                REVOKE DELETE ON legal_holds FROM hostedpbx_app;
                REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM hostedpbx_app, hostedpbx_switch;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP POLICY app_scope ON legal_holds;");

            migrationBuilder.DropTable(
                name: "legal_holds");

            migrationBuilder.DropUniqueConstraint(
                name: "ak_recordings_tenant_id_id",
                table: "recordings");
        }
    }
}
