using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HostedPbx.Data.Migrations
{
    /// <inheritdoc />
    public partial class PersonalApiKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "tenant_id",
                table: "api_keys",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "user_id",
                table: "api_keys",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_tenant_id",
                table: "api_keys",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_user_id",
                table: "api_keys",
                column: "user_id");

            migrationBuilder.AddCheckConstraint(
                name: "ck_api_keys_personal",
                table: "api_keys",
                sql: "(user_id IS NULL AND tenant_id IS NULL) OR (user_id IS NOT NULL AND tenant_id IS NOT NULL AND reseller_id IS NULL)");

            migrationBuilder.AddForeignKey(
                name: "fk_api_keys_tenants_tenant_id",
                table: "api_keys",
                column: "tenant_id",
                principalTable: "tenants",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_api_keys_users_user_id",
                table: "api_keys",
                column: "user_id",
                principalTable: "portal_users",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            // Row-level security: a tenant's scope (the officer in the portal) sees its own tenant's personal keys too.
            migrationBuilder.Sql("""
                DROP POLICY app_scope ON api_keys;
                CREATE POLICY app_scope ON api_keys TO hostedpbx_app
                    USING ((SELECT pbx_scope_is_platform()) OR reseller_id = (SELECT pbx_scope_reseller_id()) OR tenant_id = (SELECT pbx_scope_tenant_id()))
                    WITH CHECK ((SELECT pbx_scope_is_platform()) OR reseller_id = (SELECT pbx_scope_reseller_id()) OR tenant_id = (SELECT pbx_scope_tenant_id()));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP POLICY app_scope ON api_keys;
                CREATE POLICY app_scope ON api_keys TO hostedpbx_app
                    USING ((SELECT pbx_scope_is_platform()) OR reseller_id = (SELECT pbx_scope_reseller_id()))
                    WITH CHECK ((SELECT pbx_scope_is_platform()) OR reseller_id = (SELECT pbx_scope_reseller_id()));
                """);

            migrationBuilder.DropForeignKey(
                name: "fk_api_keys_tenants_tenant_id",
                table: "api_keys");

            migrationBuilder.DropForeignKey(
                name: "fk_api_keys_users_user_id",
                table: "api_keys");

            migrationBuilder.DropIndex(
                name: "ix_api_keys_tenant_id",
                table: "api_keys");

            migrationBuilder.DropIndex(
                name: "ix_api_keys_user_id",
                table: "api_keys");

            migrationBuilder.DropCheckConstraint(
                name: "ck_api_keys_personal",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "tenant_id",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "user_id",
                table: "api_keys");
        }
    }
}
