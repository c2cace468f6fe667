using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HostedPbx.Data.Migrations
{
    /// <inheritdoc />
    public partial class FraudAlertsAndEmergencyCalls : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "alerted_at",
                table: "pstn_settings",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "platform_ranges_unblocked",
                table: "pstn_settings",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "emergency",
                table: "call_records",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "alerted_at",
                table: "pstn_settings");

            migrationBuilder.DropColumn(
                name: "platform_ranges_unblocked",
                table: "pstn_settings");

            migrationBuilder.DropColumn(
                name: "emergency",
                table: "call_records");
        }
    }
}
