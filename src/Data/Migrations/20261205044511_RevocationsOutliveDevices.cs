using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HostedPbx.Data.Migrations
{
    /// <summary>
    /// A revocation outlives the device it was for (shared/DESIGN.md, "Identity of a handset", step 2): the database copies
    /// every revocation of a device certificate into <c>certificate_revocations</c> as it is written, whoever writes it,
    /// so deleting the device or its tenant (which deletes its certificates) leaves it on the CRL and the certificate refused.
    /// The application's roles may read the copies and nothing else; the trigger writes with its owner's rights.
    /// </summary>
    public partial class RevocationsOutliveDevices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "certificate_revocations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    issuer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    serial = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    fingerprint = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    mac = table.Column<string>(type: "character(12)", fixedLength: true, maxLength: 12, nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    reason = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    not_after = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_certificate_revocations", x => x.id);
                    table.CheckConstraint("ck_certificate_revocations_reason_values", "reason IN ('Unspecified', 'KeyCompromise', 'Superseded', 'CessationOfOperation', 'AffiliationChanged')");
                    table.ForeignKey(
                        name: "fk_certificate_revocations_trust_anchors_issuer_id",
                        column: x => x.issuer_id,
                        principalTable: "trust_anchors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_certificate_revocations_issuer_id_serial",
                table: "certificate_revocations",
                columns: new[] { "issuer_id", "serial" },
                unique: true);

            migrationBuilder.Sql("""
                CREATE FUNCTION pbx_keep_revocation() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
                    SET search_path = public, pg_temp AS $$
                BEGIN
                    INSERT INTO certificate_revocations (id, issuer_id, serial, fingerprint, mac, revoked_at, reason, not_after)
                    VALUES (gen_random_uuid(), NEW.issuer_id, NEW.serial, NEW.fingerprint, NEW.mac, NEW.revoked_at, NEW.revocation_reason, NEW.not_after)
                    ON CONFLICT (issuer_id, serial) DO NOTHING;
                    RETURN NULL;
                END
                $$;
                REVOKE ALL ON FUNCTION pbx_keep_revocation() FROM PUBLIC;
                CREATE TRIGGER keep_revocation AFTER INSERT OR UPDATE OF revoked_at ON device_certificates
                    FOR EACH ROW WHEN (NEW.revoked_at IS NOT NULL) EXECUTE FUNCTION pbx_keep_revocation();
                INSERT INTO certificate_revocations (id, issuer_id, serial, fingerprint, mac, revoked_at, reason, not_after)
                    SELECT gen_random_uuid(), issuer_id, serial, fingerprint, mac, revoked_at, revocation_reason, not_after
                    FROM device_certificates WHERE revoked_at IS NOT NULL
                    ON CONFLICT (issuer_id, serial) DO NOTHING;
                REVOKE ALL ON certificate_revocations FROM hostedpbx_app, hostedpbx_switch;
                GRANT SELECT ON certificate_revocations TO hostedpbx_app, hostedpbx_switch;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER keep_revocation ON device_certificates; DROP FUNCTION pbx_keep_revocation();");
            migrationBuilder.DropTable(
                name: "certificate_revocations");
        }
    }
}
