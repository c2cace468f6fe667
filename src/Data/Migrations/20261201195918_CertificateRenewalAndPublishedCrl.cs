using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HostedPbx.Data.Migrations
{
    /// <inheritdoc />
    public partial class CertificateRenewalAndPublishedCrl : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "expiry_flagged_at",
                table: "device_certificates",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "renews_certificate_id",
                table: "device_certificates",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "published_revocation_lists",
                columns: table => new
                {
                    issuer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<long>(type: "bigint", nullable: false),
                    this_update = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    next_update = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    newest_revocation_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    der = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_published_revocation_lists", x => x.issuer_id);
                    table.CheckConstraint("ck_published_revocation_lists_number", "number > 0");
                    table.CheckConstraint("ck_published_revocation_lists_window", "next_update > this_update");
                    table.ForeignKey(
                        name: "fk_published_revocation_lists_trust_anchors_issuer_id",
                        column: x => x.issuer_id,
                        principalTable: "trust_anchors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_device_certificates_renews_certificate_id",
                table: "device_certificates",
                column: "renews_certificate_id",
                unique: true);

            migrationBuilder.AddCheckConstraint(
                name: "ck_device_certificates_renewal_is_issued",
                table: "device_certificates",
                sql: "renews_certificate_id IS NULL OR source = 'Issued'");

            migrationBuilder.AddForeignKey(
                name: "fk_device_certificates_device_certificates_renews_certificate_",
                table: "device_certificates",
                column: "renews_certificate_id",
                principalTable: "device_certificates",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);

            // Platform-wide like trust anchors: any scoped caller may read the published CRL, only the platform sign one.
            migrationBuilder.Sql("""
                CREATE POLICY app_read ON published_revocation_lists FOR SELECT TO hostedpbx_app USING ((SELECT pbx_scope_kind()) <> 'none');
                CREATE POLICY app_write ON published_revocation_lists FOR ALL TO hostedpbx_app
                    USING ((SELECT pbx_scope_is_platform())) WITH CHECK ((SELECT pbx_scope_is_platform()));
                ALTER TABLE published_revocation_lists ENABLE ROW LEVEL SECURITY;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_device_certificates_device_certificates_renews_certificate_",
                table: "device_certificates");

            migrationBuilder.DropTable(
                name: "published_revocation_lists");

            migrationBuilder.DropIndex(
                name: "ix_device_certificates_renews_certificate_id",
                table: "device_certificates");

            migrationBuilder.DropCheckConstraint(
                name: "ck_device_certificates_renewal_is_issued",
                table: "device_certificates");

            migrationBuilder.DropColumn(
                name: "expiry_flagged_at",
                table: "device_certificates");

            migrationBuilder.DropColumn(
                name: "renews_certificate_id",
                table: "device_certificates");
        }
    }
}
