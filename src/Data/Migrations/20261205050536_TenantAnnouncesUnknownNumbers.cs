using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HostedPbx.Data.Migrations
{
    /// <inheritdoc />
    public partial class TenantAnnouncesUnknownNumbers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "announce_unknown_numbers",
                table: "tenants",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "announce_unknown_numbers",
                table: "tenants");
        }
    }
}
