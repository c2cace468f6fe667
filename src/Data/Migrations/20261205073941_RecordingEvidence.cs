using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HostedPbx.Data.Migrations
{
    /// <summary>
    /// Recordings kept like evidence (issue 10): each completed recording carries its signed manifest, its place in its
    /// tenant's chain, whether a crash cut it short and what a slow disk dropped; the platform's signing key lives
    /// beside them, its private half encrypted under the master key.
    /// </summary>
    public partial class RecordingEvidence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_recordings_sizes",
                table: "recordings");

            migrationBuilder.AddColumn<long>(
                name: "chain_index",
                table: "recordings",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "cut_short",
                table: "recordings",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "dropped_ms",
                table: "recordings",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "manifest",
                table: "recordings",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "manifest_signature",
                table: "recordings",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "signing_key_id",
                table: "recordings",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "recording_signing_keys",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    public_key = table.Column<byte[]>(type: "bytea", maxLength: 200, nullable: false),
                    protected_private_key = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_recording_signing_keys", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_recordings_signing_key_id",
                table: "recordings",
                column: "signing_key_id");

            migrationBuilder.CreateIndex(
                name: "ix_recordings_tenant_id_chain_index",
                table: "recordings",
                columns: new[] { "tenant_id", "chain_index" },
                unique: true);

            migrationBuilder.AddCheckConstraint(
                name: "ck_recordings_signed",
                table: "recordings",
                sql: "status <> 'Complete' OR (manifest IS NOT NULL AND manifest_signature IS NOT NULL AND signing_key_id IS NOT NULL AND chain_index IS NOT NULL)");

            migrationBuilder.AddCheckConstraint(
                name: "ck_recordings_sizes",
                table: "recordings",
                sql: "size_bytes >= 0 AND duration_ms >= 0 AND dropped_ms >= 0");

            migrationBuilder.AddForeignKey(
                name: "fk_recordings_recording_signing_keys_signing_key_id",
                table: "recordings",
                column: "signing_key_id",
                principalTable: "recording_signing_keys",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            // The signing key is platform-wide: the switch makes it once and reads it; the portal and API read its public
            // half to verify; nobody changes or removes it, so a manifest signed once stays checkable. The audit trail
            // stays append-only for the application role (RowLevelSecurity revoked it; said again here, as evidence).
            migrationBuilder.Sql("""
                ALTER TABLE recording_signing_keys ENABLE ROW LEVEL SECURITY;
                CREATE POLICY app_read ON recording_signing_keys FOR SELECT TO hostedpbx_app USING ((SELECT pbx_scope_kind()) <> 'none');
                CREATE POLICY switch_keys ON recording_signing_keys FOR ALL TO hostedpbx_switch USING (true) WITH CHECK (true);
                REVOKE ALL ON recording_signing_keys FROM hostedpbx_app, hostedpbx_switch;
                GRANT SELECT ON recording_signing_keys TO hostedpbx_app;
                GRANT SELECT, INSERT ON recording_signing_keys TO hostedpbx_switch;
                REVOKE UPDATE, DELETE ON audit_events FROM hostedpbx_app;
                CREATE TRIGGER notify_directory AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON recording_policies
                    FOR EACH STATEMENT EXECUTE FUNCTION pbx_notify_directory();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP POLICY app_read ON recording_signing_keys;
                DROP POLICY switch_keys ON recording_signing_keys;
                DROP TRIGGER notify_directory ON recording_policies;
                """);

            migrationBuilder.DropForeignKey(
                name: "fk_recordings_recording_signing_keys_signing_key_id",
                table: "recordings");

            migrationBuilder.DropTable(
                name: "recording_signing_keys");

            migrationBuilder.DropIndex(
                name: "ix_recordings_signing_key_id",
                table: "recordings");

            migrationBuilder.DropIndex(
                name: "ix_recordings_tenant_id_chain_index",
                table: "recordings");

            migrationBuilder.DropCheckConstraint(
                name: "ck_recordings_signed",
                table: "recordings");

            migrationBuilder.DropCheckConstraint(
                name: "ck_recordings_sizes",
                table: "recordings");

            migrationBuilder.DropColumn(
                name: "chain_index",
                table: "recordings");

            migrationBuilder.DropColumn(
                name: "cut_short",
                table: "recordings");

            migrationBuilder.DropColumn(
                name: "dropped_ms",
                table: "recordings");

            migrationBuilder.DropColumn(
                name: "manifest",
                table: "recordings");

            migrationBuilder.DropColumn(
                name: "manifest_signature",
                table: "recordings");

            migrationBuilder.DropColumn(
                name: "signing_key_id",
                table: "recordings");

            migrationBuilder.AddCheckConstraint(
                name: "ck_recordings_sizes",
                table: "recordings",
                sql: "size_bytes >= 0 AND duration_ms >= 0");
        }
    }
}
