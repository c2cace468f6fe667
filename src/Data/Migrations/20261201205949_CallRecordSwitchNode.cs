using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HostedPbx.Data.Migrations
{
    /// <inheritdoc />
    public partial class CallRecordSwitchNode : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "switch_node",
                table: "call_records",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_call_records_switch_node_ended_at",
                table: "call_records",
                columns: new[] { "switch_node", "ended_at" },
                filter: "ended_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_call_records_switch_node_ended_at",
                table: "call_records");

            migrationBuilder.DropColumn(
                name: "switch_node",
                table: "call_records");
        }
    }
}
