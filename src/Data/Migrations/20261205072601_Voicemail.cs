using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HostedPbx.Data.Migrations
{
    /// <inheritdoc />
    public partial class Voicemail : Migration
    {
        /// <summary>The channel a change to a mailbox's messages is announced on, with the extension's id.</summary>
        public const string MailboxChannel = "hostedpbx_mailbox";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "cut_short",
                table: "voicemail_messages",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "emailed_at",
                table: "voicemail_messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "voicemail_email_includes_audio",
                table: "tenants",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "voicemail_max_message_seconds",
                table: "tenants",
                type: "integer",
                nullable: false,
                defaultValue: 180);

            migrationBuilder.AddColumn<int>(
                name: "voicemail_max_messages",
                table: "tenants",
                type: "integer",
                nullable: false,
                defaultValue: 100);

            migrationBuilder.AddColumn<bool>(
                name: "voicemail_pinless_from_own_device",
                table: "tenants",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "voicemail_failed_pins",
                table: "extensions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "voicemail_locked_until",
                table: "extensions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "voicemail_greetings",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    extension_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    storage_path = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    wrapped_data_key = table.Column<byte[]>(type: "bytea", nullable: false),
                    duration_ms = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_voicemail_greetings", x => x.id);
                    table.CheckConstraint("ck_voicemail_greetings_duration", "duration_ms >= 0");
                    table.CheckConstraint("ck_voicemail_greetings_kind_values", "kind IN ('Unavailable', 'Busy')");
                    table.ForeignKey(
                        name: "fk_voicemail_greetings_extensions_tenant_id_extension_id",
                        columns: x => new { x.tenant_id, x.extension_id },
                        principalTable: "extensions",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.AddCheckConstraint(
                name: "ck_tenants_voicemail_max_message_seconds",
                table: "tenants",
                sql: "voicemail_max_message_seconds BETWEEN 10 AND 3600");

            migrationBuilder.AddCheckConstraint(
                name: "ck_tenants_voicemail_max_messages",
                table: "tenants",
                sql: "voicemail_max_messages BETWEEN 1 AND 10000");

            migrationBuilder.AddCheckConstraint(
                name: "ck_extensions_voicemail_failed_pins",
                table: "extensions",
                sql: "voicemail_failed_pins >= 0");

            migrationBuilder.CreateIndex(
                name: "ix_voicemail_greetings_extension_id_kind",
                table: "voicemail_greetings",
                columns: new[] { "extension_id", "kind" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_voicemail_greetings_storage_path",
                table: "voicemail_greetings",
                column: "storage_path",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_voicemail_greetings_tenant_id_extension_id",
                table: "voicemail_greetings",
                columns: new[] { "tenant_id", "extension_id" });

            // Greetings are tenant rows behind the same wall as messages (migration RowLevelSecurity). The switch writes
            // greetings recorded by phone, and of extensions only what a caller at the mailbox changes: the PIN and
            // its lock-out counters, nothing else.
            const string inScope = "(SELECT pbx_scope_is_platform()) OR tenant_id = ANY ((SELECT pbx_scope_tenant_ids())::uuid[])";
            migrationBuilder.Sql($"""
                CREATE POLICY app_scope ON voicemail_greetings TO hostedpbx_app USING ({inScope}) WITH CHECK ({inScope});
                CREATE POLICY switch_write ON voicemail_greetings FOR ALL TO hostedpbx_switch USING (true) WITH CHECK (true);
                ALTER TABLE voicemail_greetings ENABLE ROW LEVEL SECURITY;
                GRANT SELECT, INSERT, UPDATE, DELETE ON voicemail_greetings TO hostedpbx_app, hostedpbx_switch;
                CREATE POLICY switch_mailbox ON extensions FOR UPDATE TO hostedpbx_switch USING (true) WITH CHECK (true);
                GRANT UPDATE (voicemail_pin_hash, voicemail_failed_pins, voicemail_locked_until) ON extensions TO hostedpbx_switch;
                """);

            // Message waiting (RFC 3842) must be right after a change from any channel (phone, portal, API): each change
            // to a mailbox's messages notifies the switch with the extension's id, once the change commits.
            migrationBuilder.Sql($"""
                CREATE FUNCTION pbx_notify_mailbox() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('{MailboxChannel}', coalesce(NEW.extension_id, OLD.extension_id)::text);
                    RETURN NULL;
                END
                $$;
                CREATE TRIGGER notify_mailbox AFTER INSERT OR UPDATE OR DELETE ON voicemail_messages
                    FOR EACH ROW EXECUTE FUNCTION pbx_notify_mailbox();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER notify_mailbox ON voicemail_messages;
                DROP FUNCTION pbx_notify_mailbox();
                REVOKE UPDATE (voicemail_pin_hash, voicemail_failed_pins, voicemail_locked_until) ON extensions FROM hostedpbx_switch;
                DROP POLICY switch_mailbox ON extensions;
                """);
            migrationBuilder.DropTable(
                name: "voicemail_greetings");

            migrationBuilder.DropCheckConstraint(
                name: "ck_tenants_voicemail_max_message_seconds",
                table: "tenants");

            migrationBuilder.DropCheckConstraint(
                name: "ck_tenants_voicemail_max_messages",
                table: "tenants");

            migrationBuilder.DropCheckConstraint(
                name: "ck_extensions_voicemail_failed_pins",
                table: "extensions");

            migrationBuilder.DropColumn(
                name: "cut_short",
                table: "voicemail_messages");

            migrationBuilder.DropColumn(
                name: "emailed_at",
                table: "voicemail_messages");

            migrationBuilder.DropColumn(
                name: "voicemail_email_includes_audio",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "voicemail_max_message_seconds",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "voicemail_max_messages",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "voicemail_pinless_from_own_device",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "voicemail_failed_pins",
                table: "extensions");

            migrationBuilder.DropColumn(
                name: "voicemail_locked_until",
                table: "extensions");
        }
    }
}
