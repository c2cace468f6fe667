using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HostedPbx.Data.Migrations
{
    /// <summary>
    /// The second wall of tenancy (shared/DESIGN.md, "Tenancy"): the roles the parts connect as, their grants, and
    /// row-level security policies that key on the scope each connection sets (hostedpbx.scope, .reseller_id,
    /// .tenant_id). A connection of the application role that has set no scope sees no tenant rows.
    /// </summary>
    public partial class RowLevelSecurity : Migration
    {
        private static readonly string[] TenantOwned =
        [
            "extensions", "devices", "device_lines", "device_certificates", "trunks", "inbound_numbers", "outbound_routes",
            "recording_policies", "retention_settings", "call_records", "call_legs", "recordings", "voicemail_messages",
            "registrations",
        ];

        // What the switch reads, and what it writes; it never sees keys, users or resellers.
        private static readonly string[] SwitchReads =
        [
            "tenants", "extensions", "devices", "device_lines", "device_certificates", "trust_anchors", "trunks",
            "inbound_numbers", "outbound_routes", "recording_policies", "retention_settings",
        ];

        private static readonly string[] SwitchWrites = ["call_records", "call_legs", "recordings", "voicemail_messages"];

        private static readonly string[] AllPolicyTables =
        [
            .. TenantOwned, "tenants", "resellers", "api_keys", "audit_events", "trust_anchors", "portal_users",
            "portal_user_claims", "portal_user_logins", "portal_user_tokens",
        ];

        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Roles are cluster-wide: create them once, whatever database is migrated first. Another database of the
            // cluster may be migrated at the same moment (the test assemblies' are): its CREATE ROLE then commits first
            // and this one fails on the role's unique name, which only means the role is there. (Changed after release
            // only in how a lost race ends; a database that ran this migration has the same roles either way.)
            migrationBuilder.Sql("""
                DO $$
                DECLARE
                    role text;
                BEGIN
                    FOREACH role IN ARRAY ARRAY['hostedpbx_app', 'hostedpbx_switch'] LOOP
                        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = role) THEN
                            BEGIN
                                EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE', role);
                            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                                NULL;
                            END;
                        END IF;
                    END LOOP;
                END
                $$;
                """);

            migrationBuilder.Sql("""
                CREATE FUNCTION pbx_scope_kind() RETURNS text LANGUAGE sql STABLE
                    AS $$ SELECT coalesce(nullif(current_setting('hostedpbx.scope', true), ''), 'none') $$;
                CREATE FUNCTION pbx_scope_is_platform() RETURNS boolean LANGUAGE sql STABLE
                    AS $$ SELECT pbx_scope_kind() IN ('operator', 'system') $$;
                CREATE FUNCTION pbx_scope_reseller_id() RETURNS uuid LANGUAGE sql STABLE
                    AS $$ SELECT CASE WHEN pbx_scope_kind() = 'reseller'
                        THEN nullif(current_setting('hostedpbx.reseller_id', true), '')::uuid END $$;
                CREATE FUNCTION pbx_scope_tenant_id() RETURNS uuid LANGUAGE sql STABLE
                    AS $$ SELECT CASE WHEN pbx_scope_kind() = 'tenant'
                        THEN nullif(current_setting('hostedpbx.tenant_id', true), '')::uuid END $$;
                -- Definer's rights: the list of a reseller's tenants must not itself be filtered by the policy it feeds.
                CREATE FUNCTION pbx_scope_tenant_ids() RETURNS uuid[] LANGUAGE sql STABLE SECURITY DEFINER
                    SET search_path = public, pg_temp
                    AS $$ SELECT CASE pbx_scope_kind()
                        WHEN 'reseller' THEN ARRAY(SELECT id FROM tenants WHERE reseller_id = pbx_scope_reseller_id())
                        WHEN 'tenant' THEN ARRAY[pbx_scope_tenant_id()]
                        ELSE '{}'::uuid[] END $$;
                REVOKE ALL ON FUNCTION pbx_scope_tenant_ids() FROM PUBLIC;
                GRANT EXECUTE ON FUNCTION pbx_scope_tenant_ids() TO hostedpbx_app;
                """);

            // Sub-selects around the scope functions make PostgreSQL evaluate them once per query, not per row.
            const string inScope = "(SELECT pbx_scope_is_platform()) OR tenant_id = ANY ((SELECT pbx_scope_tenant_ids())::uuid[])";
            foreach (var table in TenantOwned)
            {
                migrationBuilder.Sql($"CREATE POLICY app_scope ON {table} TO hostedpbx_app USING ({inScope}) WITH CHECK ({inScope});");
            }

            const string tenantScope = "(SELECT pbx_scope_is_platform()) OR reseller_id = (SELECT pbx_scope_reseller_id())"
                + " OR id = (SELECT pbx_scope_tenant_id())";
            migrationBuilder.Sql($"CREATE POLICY app_scope ON tenants TO hostedpbx_app USING ({tenantScope}) WITH CHECK ({tenantScope});");

            const string resellerScope = "(SELECT pbx_scope_is_platform()) OR id = (SELECT pbx_scope_reseller_id())";
            migrationBuilder.Sql($"CREATE POLICY app_scope ON resellers TO hostedpbx_app USING ({resellerScope}) WITH CHECK ({resellerScope});");

            const string keyScope = "(SELECT pbx_scope_is_platform()) OR reseller_id = (SELECT pbx_scope_reseller_id())";
            migrationBuilder.Sql($"CREATE POLICY app_scope ON api_keys TO hostedpbx_app USING ({keyScope}) WITH CHECK ({keyScope});");

            const string auditScope = "(SELECT pbx_scope_is_platform()) OR tenant_id = ANY ((SELECT pbx_scope_tenant_ids())::uuid[])"
                + " OR (tenant_id IS NULL AND reseller_id = (SELECT pbx_scope_reseller_id()))";
            migrationBuilder.Sql($"CREATE POLICY app_scope ON audit_events TO hostedpbx_app USING ({auditScope}) WITH CHECK ({auditScope});");

            // Trust anchors are platform-wide: any caller with a scope may read them, only the platform may change them.
            migrationBuilder.Sql("""
                CREATE POLICY app_read ON trust_anchors FOR SELECT TO hostedpbx_app USING ((SELECT pbx_scope_kind()) <> 'none');
                CREATE POLICY app_write ON trust_anchors FOR ALL TO hostedpbx_app
                    USING ((SELECT pbx_scope_is_platform())) WITH CHECK ((SELECT pbx_scope_is_platform()));
                """);

            const string userScope = "(SELECT pbx_scope_is_platform()) OR reseller_id = (SELECT pbx_scope_reseller_id())"
                + " OR tenant_id = ANY ((SELECT pbx_scope_tenant_ids())::uuid[])";
            migrationBuilder.Sql($"CREATE POLICY app_scope ON portal_users TO hostedpbx_app USING ({userScope}) WITH CHECK ({userScope});");
            foreach (var table in new[] { "portal_user_claims", "portal_user_logins", "portal_user_tokens" })
            {
                // The sub-query on portal_users is itself filtered by that table's policy.
                migrationBuilder.Sql($"CREATE POLICY app_scope ON {table} TO hostedpbx_app"
                    + " USING (user_id IN (SELECT id FROM portal_users)) WITH CHECK (user_id IN (SELECT id FROM portal_users));");
            }

            foreach (var table in SwitchReads)
            {
                migrationBuilder.Sql($"CREATE POLICY switch_read ON {table} FOR SELECT TO hostedpbx_switch USING (true);");
            }

            foreach (var table in SwitchWrites.Append("registrations"))
            {
                migrationBuilder.Sql($"CREATE POLICY switch_write ON {table} FOR ALL TO hostedpbx_switch USING (true) WITH CHECK (true);");
            }

            migrationBuilder.Sql("CREATE POLICY switch_append ON audit_events FOR INSERT TO hostedpbx_switch WITH CHECK (true);");

            foreach (var table in AllPolicyTables)
            {
                migrationBuilder.Sql($"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;");
            }

            migrationBuilder.Sql($"""
                GRANT USAGE ON SCHEMA public TO hostedpbx_app, hostedpbx_switch;
                GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO hostedpbx_app;
                REVOKE INSERT, UPDATE, DELETE ON __ef_migrations_history FROM hostedpbx_app;
                REVOKE UPDATE, DELETE ON audit_events FROM hostedpbx_app;
                GRANT SELECT ON __ef_migrations_history TO hostedpbx_switch;
                GRANT SELECT ON {string.Join(", ", SwitchReads)} TO hostedpbx_switch;
                GRANT SELECT, INSERT, UPDATE ON {string.Join(", ", SwitchWrites)} TO hostedpbx_switch;
                GRANT SELECT, INSERT, UPDATE, DELETE ON registrations TO hostedpbx_switch;
                GRANT INSERT ON audit_events TO hostedpbx_switch;
                ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO hostedpbx_app;
                CREATE SCHEMA IF NOT EXISTS hangfire AUTHORIZATION hostedpbx_app;
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP SCHEMA IF EXISTS hangfire CASCADE;");
            migrationBuilder.Sql("ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM hostedpbx_app;");
            foreach (var table in AllPolicyTables)
            {
                migrationBuilder.Sql($"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;");
                migrationBuilder.Sql($"DROP POLICY IF EXISTS app_scope ON {table}; DROP POLICY IF EXISTS switch_read ON {table};"
                    + $" DROP POLICY IF EXISTS switch_write ON {table};");
                migrationBuilder.Sql($"REVOKE ALL ON {table} FROM hostedpbx_app, hostedpbx_switch;");
            }

            migrationBuilder.Sql("""
                DROP POLICY IF EXISTS app_read ON trust_anchors; DROP POLICY IF EXISTS app_write ON trust_anchors;
                DROP POLICY IF EXISTS switch_append ON audit_events;
                REVOKE ALL ON __ef_migrations_history FROM hostedpbx_app, hostedpbx_switch;
                DROP FUNCTION pbx_scope_tenant_ids(); DROP FUNCTION pbx_scope_tenant_id(); DROP FUNCTION pbx_scope_reseller_id();
                DROP FUNCTION pbx_scope_is_platform(); DROP FUNCTION pbx_scope_kind();
                """);
        }
    }
}
