using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HostedPbx.Data.Migrations
{
    /// <inheritdoc />
    public partial class RecordingFeatureCodesAndHoldLiftReason : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "recording_pause_code",
                table: "tenants",
                type: "character varying(4)",
                maxLength: 4,
                nullable: false,
                defaultValue: "*2");

            migrationBuilder.AddColumn<string>(
                name: "recording_start_stop_code",
                table: "tenants",
                type: "character varying(4)",
                maxLength: 4,
                nullable: false,
                defaultValue: "*1");

            migrationBuilder.AddColumn<string>(
                name: "lift_reason",
                table: "legal_holds",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddCheckConstraint(
                name: "ck_tenants_recording_codes",
                table: "tenants",
                sql: "recording_start_stop_code ~ '^[*][0-9]{1,3}$' AND recording_pause_code ~ '^[*][0-9]{1,3}$' AND recording_start_stop_code <> recording_pause_code");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_tenants_recording_codes",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "recording_pause_code",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "recording_start_stop_code",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "lift_reason",
                table: "legal_holds");
        }
    }
}
