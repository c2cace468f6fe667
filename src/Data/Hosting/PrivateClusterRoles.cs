using Npgsql;

namespace HostedPbx.Data.Hosting;

/// <summary>
/// For a private cluster whose one password file serves every role (<c>./pbx test-db</c>, the tests' fixture, the load
/// tool): the platform's roles, which the migrations create without a password, get the owner's SCRAM verifier
/// (PostgreSQL stores a verifier given in place of a password as it is). Under a lock, since several callers may start at
/// once. A cluster that trusts (the owner has no verifier) is left as it is. Never for a production cluster, whose roles
/// have passwords of their own.
/// </summary>
public static class PrivateClusterRoles
{
    public static async Task ShareOwnerPasswordAsync(NpgsqlConnection admin, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            BEGIN;
            SELECT pg_advisory_xact_lock(4711001);
            DO $$
            DECLARE
                verifier text := (SELECT rolpassword FROM pg_authid WHERE rolname = current_user);
                role text;
            BEGIN
                IF verifier IS NULL THEN
                    RETURN;
                END IF;
                FOREACH role IN ARRAY ARRAY['hostedpbx_app', 'hostedpbx_switch'] LOOP
                    IF (SELECT rolpassword FROM pg_authid WHERE rolname = role) IS DISTINCT FROM verifier THEN
                        EXECUTE format('ALTER ROLE %I PASSWORD %L', role, verifier);
                    END IF;
                END LOOP;
            END
            $$;
            COMMIT;
            """, admin);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
