using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HostedPbx.Data.Migrations
{
    /// <inheritdoc />
    public partial class TrustAnchorMacPrefixes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "mac_prefixes",
                table: "trust_anchors",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'");

            migrationBuilder.AddCheckConstraint(
                name: "ck_trust_anchors_mac_prefixes",
                table: "trust_anchors",
                sql: "array_to_string(mac_prefixes, ',') ~ '^([0-9a-f]{6,11}(,|$))*$'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_trust_anchors_mac_prefixes",
                table: "trust_anchors");

            migrationBuilder.DropColumn(
                name: "mac_prefixes",
                table: "trust_anchors");
        }
    }
}
