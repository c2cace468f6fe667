using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HostedPbx.Data.Migrations
{
    /// <inheritdoc />
    public partial class ExtensionForwarding : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "forward_always",
                table: "extensions",
                type: "character varying(8)",
                maxLength: 8,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "forward_busy",
                table: "extensions",
                type: "character varying(8)",
                maxLength: 8,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "forward_no_answer",
                table: "extensions",
                type: "character varying(8)",
                maxLength: 8,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "forward_no_answer_seconds",
                table: "extensions",
                type: "integer",
                nullable: false,
                defaultValue: 20);

            migrationBuilder.AddCheckConstraint(
                name: "ck_extensions_forward_no_answer_seconds",
                table: "extensions",
                sql: "forward_no_answer_seconds BETWEEN 5 AND 120");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_extensions_forward_no_answer_seconds",
                table: "extensions");

            migrationBuilder.DropColumn(
                name: "forward_always",
                table: "extensions");

            migrationBuilder.DropColumn(
                name: "forward_busy",
                table: "extensions");

            migrationBuilder.DropColumn(
                name: "forward_no_answer",
                table: "extensions");

            migrationBuilder.DropColumn(
                name: "forward_no_answer_seconds",
                table: "extensions");
        }
    }
}
