using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HostedPbx.Data.Migrations
{
    /// <inheritdoc />
    public partial class PstnTrunksRoutesFraud : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_outbound_routes_trunks_tenant_id_trunk_id",
                table: "outbound_routes");

            migrationBuilder.DropCheckConstraint(
                name: "ck_trunks_host",
                table: "trunks");

            migrationBuilder.DropIndex(
                name: "ix_outbound_routes_tenant_id_trunk_id",
                table: "outbound_routes");

            migrationBuilder.DropCheckConstraint(
                name: "ck_outbound_routes_prefix",
                table: "outbound_routes");

            migrationBuilder.DropCheckConstraint(
                name: "ck_outbound_routes_strip_digits",
                table: "outbound_routes");

            

            

            

            

            migrationBuilder.AlterColumn<string>(
                name: "host",
                table: "trunks",
                type: "character varying(253)",
                maxLength: 253,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(253)",
                oldMaxLength: 253);

            migrationBuilder.AddColumn<Guid>(
                name: "carrier_id",
                table: "trunks",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "certificate_name",
                table: "trunks",
                type: "character varying(253)",
                maxLength: 253,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "srtp_mode",
                table: "trunks",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "Required");

            migrationBuilder.AddColumn<bool>(
                name: "plain_transport_allowed",
                table: "trunks",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // Rows written before: a trunk that did not require SRTP had it off, and a plain transport was allowed then.
            migrationBuilder.Sql("UPDATE trunks SET srtp_mode = CASE WHEN srtp_required THEN 'Required' ELSE 'Off' END,"
                + " plain_transport_allowed = (transport <> 'Tls');");

            migrationBuilder.DropColumn(
                name: "srtp_required",
                table: "trunks");

            migrationBuilder.AddColumn<string>(
                name: "pattern",
                table: "outbound_routes",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<Guid[]>(
                name: "trunk_ids",
                table: "outbound_routes",
                type: "uuid[]",
                nullable: false,
                defaultValue: new Guid[0]);

            // A prefix matched everything that started with it: the pattern "prefix*" says the same; its trunk is the first.
            migrationBuilder.Sql("UPDATE outbound_routes SET pattern = prefix || '*', trunk_ids = ARRAY[trunk_id];");

            migrationBuilder.DropColumn(
                name: "prefix",
                table: "outbound_routes");

            migrationBuilder.DropColumn(
                name: "strip_digits",
                table: "outbound_routes");

            migrationBuilder.DropColumn(
                name: "trunk_id",
                table: "outbound_routes");

            migrationBuilder.CreateTable(
                name: "carriers",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    host = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    port = table.Column<int>(type: "integer", nullable: false),
                    transport = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    certificate_name = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    srtp_mode = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    username = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    protected_password = table.Column<byte[]>(type: "bytea", nullable: true),
                    max_channels = table.Column<int>(type: "integer", nullable: false),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_carriers", x => x.id);
                    table.CheckConstraint("ck_carriers_host", "length(btrim(host)) > 0");
                    table.CheckConstraint("ck_carriers_max_channels", "max_channels BETWEEN 1 AND 100000");
                    table.CheckConstraint("ck_carriers_port", "port BETWEEN 1 AND 65535");
                    table.CheckConstraint("ck_carriers_srtp_mode_values", "srtp_mode IN ('Required', 'Preferred', 'Off')");
                    table.CheckConstraint("ck_carriers_transport_values", "transport IN ('Tls', 'Tcp', 'Udp')");
                });

            migrationBuilder.CreateTable(
                name: "pstn_settings",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    country = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    allowed_countries = table.Column<string[]>(type: "text[]", nullable: false),
                    blocked_prefixes = table.Column<string[]>(type: "text[]", nullable: false),
                    max_concurrent_external_calls = table.Column<int>(type: "integer", nullable: false),
                    max_minutes_per_hour = table.Column<int>(type: "integer", nullable: false),
                    max_minutes_per_day = table.Column<int>(type: "integer", nullable: false),
                    burst_attempts = table.Column<int>(type: "integer", nullable: false),
                    burst_window_minutes = table.Column<int>(type: "integer", nullable: false),
                    outbound_suspended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    suspension_reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pstn_settings", x => x.tenant_id);
                    table.CheckConstraint("ck_pstn_settings_country", "country ~ '^[A-Z]{2}$'");
                    table.CheckConstraint("ck_pstn_settings_limits", "max_concurrent_external_calls >= 0 AND max_minutes_per_hour >= 0 AND max_minutes_per_day >= 0 AND burst_attempts >= 1 AND burst_window_minutes BETWEEN 1 AND 1440");
                    table.ForeignKey(
                        name: "fk_pstn_settings_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_trunks_carrier_id",
                table: "trunks",
                column: "carrier_id");

            migrationBuilder.AddCheckConstraint(
                name: "ck_trunks_host",
                table: "trunks",
                sql: "(carrier_id IS NULL) = (host IS NOT NULL AND length(btrim(host)) > 0)");

            migrationBuilder.AddCheckConstraint(
                name: "ck_trunks_plain_transport",
                table: "trunks",
                sql: "transport = 'Tls' OR plain_transport_allowed");

            migrationBuilder.AddCheckConstraint(
                name: "ck_trunks_srtp_mode_values",
                table: "trunks",
                sql: "srtp_mode IN ('Required', 'Preferred', 'Off')");

            migrationBuilder.AddCheckConstraint(
                name: "ck_outbound_routes_pattern",
                table: "outbound_routes",
                sql: "pattern ~ '^\\+?[0-9X]*\\*?$' AND length(pattern) > 0");

            migrationBuilder.AddCheckConstraint(
                name: "ck_outbound_routes_trunks",
                table: "outbound_routes",
                sql: "cardinality(trunk_ids) BETWEEN 1 AND 8");

            migrationBuilder.CreateIndex(
                name: "ix_carriers_name",
                table: "carriers",
                column: "name",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_trunks_carriers_carrier_id",
                table: "trunks",
                column: "carrier_id",
                principalTable: "carriers",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
            migrationBuilder.Sql("""
                ALTER TABLE pstn_settings ENABLE ROW LEVEL SECURITY;
                CREATE POLICY app_scope ON pstn_settings TO hostedpbx_app
                    USING ((SELECT pbx_scope_is_platform()) OR tenant_id = ANY ((SELECT pbx_scope_tenant_ids())::uuid[]))
                    WITH CHECK ((SELECT pbx_scope_is_platform()) OR tenant_id = ANY ((SELECT pbx_scope_tenant_ids())::uuid[]));
                CREATE POLICY switch_write ON pstn_settings FOR ALL TO hostedpbx_switch USING (true) WITH CHECK (true);
                GRANT SELECT, INSERT, UPDATE, DELETE ON pstn_settings TO hostedpbx_app;
                GRANT SELECT, INSERT, UPDATE ON pstn_settings TO hostedpbx_switch;
                ALTER TABLE carriers ENABLE ROW LEVEL SECURITY;
                CREATE POLICY app_read ON carriers FOR SELECT TO hostedpbx_app USING ((SELECT pbx_scope_kind()) <> 'none');
                CREATE POLICY app_write ON carriers FOR ALL TO hostedpbx_app
                    USING ((SELECT pbx_scope_is_platform())) WITH CHECK ((SELECT pbx_scope_is_platform()));
                CREATE POLICY switch_read ON carriers FOR SELECT TO hostedpbx_switch USING (true);
                GRANT SELECT, INSERT, UPDATE, DELETE ON carriers TO hostedpbx_app;
                GRANT SELECT ON carriers TO hostedpbx_switch;
                """);

            // The switch reads routes and guards again on the directory's notice (DirectoryChangeNotifications).
            foreach (var table in new[] { "outbound_routes", "pstn_settings" })
            {
                migrationBuilder.Sql($"CREATE TRIGGER notify_directory AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}"
                    + " FOR EACH STATEMENT EXECUTE FUNCTION pbx_notify_directory();");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER notify_directory ON outbound_routes;");

            migrationBuilder.DropForeignKey(
                name: "fk_trunks_carriers_carrier_id",
                table: "trunks");

            migrationBuilder.DropTable(
                name: "carriers");

            migrationBuilder.DropTable(
                name: "pstn_settings");

            migrationBuilder.DropIndex(
                name: "ix_trunks_carrier_id",
                table: "trunks");

            migrationBuilder.DropCheckConstraint(
                name: "ck_trunks_host",
                table: "trunks");

            migrationBuilder.DropCheckConstraint(
                name: "ck_trunks_plain_transport",
                table: "trunks");

            migrationBuilder.DropCheckConstraint(
                name: "ck_trunks_srtp_mode_values",
                table: "trunks");

            migrationBuilder.DropCheckConstraint(
                name: "ck_outbound_routes_pattern",
                table: "outbound_routes");

            migrationBuilder.DropCheckConstraint(
                name: "ck_outbound_routes_trunks",
                table: "outbound_routes");

            migrationBuilder.DropColumn(
                name: "carrier_id",
                table: "trunks");

            migrationBuilder.DropColumn(
                name: "certificate_name",
                table: "trunks");

            migrationBuilder.DropColumn(
                name: "srtp_mode",
                table: "trunks");

            migrationBuilder.DropColumn(
                name: "pattern",
                table: "outbound_routes");

            migrationBuilder.DropColumn(
                name: "trunk_ids",
                table: "outbound_routes");

            migrationBuilder.AddColumn<bool>(
                name: "srtp_required",
                table: "trunks",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.DropColumn(
                name: "plain_transport_allowed",
                table: "trunks");

            migrationBuilder.AlterColumn<string>(
                name: "host",
                table: "trunks",
                type: "character varying(253)",
                maxLength: 253,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "character varying(253)",
                oldMaxLength: 253,
                oldNullable: true);

            migrationBuilder.AddColumn<string>(
                name: "prefix",
                table: "outbound_routes",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "strip_digits",
                table: "outbound_routes",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "trunk_id",
                table: "outbound_routes",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddCheckConstraint(
                name: "ck_trunks_host",
                table: "trunks",
                sql: "length(btrim(host)) > 0");

            migrationBuilder.CreateIndex(
                name: "ix_outbound_routes_tenant_id_trunk_id",
                table: "outbound_routes",
                columns: new[] { "tenant_id", "trunk_id" });

            migrationBuilder.AddCheckConstraint(
                name: "ck_outbound_routes_prefix",
                table: "outbound_routes",
                sql: "prefix ~ '^\\+?[0-9]*$'");

            migrationBuilder.AddCheckConstraint(
                name: "ck_outbound_routes_strip_digits",
                table: "outbound_routes",
                sql: "strip_digits BETWEEN 0 AND 16");

            migrationBuilder.AddForeignKey(
                name: "fk_outbound_routes_trunks_tenant_id_trunk_id",
                table: "outbound_routes",
                columns: new[] { "tenant_id", "trunk_id" },
                principalTable: "trunks",
                principalColumns: new[] { "tenant_id", "id" },
                onDelete: ReferentialAction.Cascade);
        }
    }
}
