using System;
using System.Net;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace HostedPbx.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_events",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    reseller_id = table.Column<Guid>(type: "uuid", nullable: true),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: true),
                    actor_kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    actor_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    actor_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    action = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    target_kind = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    target_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    outcome = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    source_address = table.Column<IPAddress>(type: "inet", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_events", x => x.id);
                    table.CheckConstraint("ck_audit_events_action", "action ~ '^[a-z0-9_.-]+$'");
                    table.CheckConstraint("ck_audit_events_actor_kind_values", "actor_kind IN ('PortalUser', 'ApiKey', 'Device', 'System')");
                    table.CheckConstraint("ck_audit_events_outcome_values", "outcome IN ('Success', 'Denied', 'Failed')");
                });

            migrationBuilder.CreateTable(
                name: "resellers",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_resellers", x => x.id);
                    table.CheckConstraint("ck_resellers_name", "length(btrim(name)) > 0");
                    table.CheckConstraint("ck_resellers_status_values", "status IN ('Active', 'Suspended')");
                });

            migrationBuilder.CreateTable(
                name: "trust_anchors",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    vendor = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    certificate_der = table.Column<byte[]>(type: "bytea", nullable: false),
                    subject = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    fingerprint = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    not_before = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    not_after = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    mac_location = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    protected_private_key = table.Column<byte[]>(type: "bytea", nullable: true),
                    parent_id = table.Column<Guid>(type: "uuid", nullable: true),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_trust_anchors", x => x.id);
                    table.CheckConstraint("ck_trust_anchors_fingerprint", "fingerprint ~ '^[0-9a-f]{64}$'");
                    table.CheckConstraint("ck_trust_anchors_kind_values", "kind IN ('PlatformRoot', 'PlatformDeviceIssuer', 'Vendor')");
                    table.CheckConstraint("ck_trust_anchors_mac_location_values", "mac_location IN ('SanUri', 'SubjectCommonName', 'SubjectSerialNumber', 'SanDnsName', 'SubjectOrganizationalUnit')");
                    table.CheckConstraint("ck_trust_anchors_platform_key", "(kind = 'Vendor') = (protected_private_key IS NULL)");
                    table.CheckConstraint("ck_trust_anchors_validity", "not_after > not_before");
                    table.CheckConstraint("ck_trust_anchors_vendor", "(kind = 'Vendor') = (vendor IS NOT NULL)");
                    table.CheckConstraint("ck_trust_anchors_vendor_values", "vendor IN ('Yealink', 'Polycom', 'Snom', 'Grandstream', 'Cisco', 'Baresip', 'Linphone', 'Other')");
                    table.ForeignKey(
                        name: "fk_trust_anchors_trust_anchors_parent_id",
                        column: x => x.parent_id,
                        principalTable: "trust_anchors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    reseller_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    prefix = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    secret_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_keys", x => x.id);
                    table.CheckConstraint("ck_api_keys_prefix", "prefix ~ '^[a-z0-9]{8,16}$'");
                    table.CheckConstraint("ck_api_keys_secret_hash", "octet_length(secret_hash) = 32");
                    table.ForeignKey(
                        name: "fk_api_keys_resellers_reseller_id",
                        column: x => x.reseller_id,
                        principalTable: "resellers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "call_legs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    call_record_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    party = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    device_id = table.Column<Guid>(type: "uuid", nullable: true),
                    trunk_id = table.Column<Guid>(type: "uuid", nullable: true),
                    transport = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    tls_version = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    tls_cipher = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    peer_certificate_verified = table.Column<bool>(type: "boolean", nullable: false),
                    peer_certificate_subject = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    peer_mac = table.Column<string>(type: "character(12)", fixedLength: true, maxLength: 12, nullable: true),
                    peer_verified_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    media_protection = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    srtp_suite = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    leaves_network = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_call_legs", x => x.id);
                    table.CheckConstraint("ck_call_legs_kind_values", "kind IN ('Handset', 'Trunk', 'Voicemail', 'Recorder')");
                    table.CheckConstraint("ck_call_legs_media_protection_values", "media_protection IN ('Srtp', 'None')");
                    table.CheckConstraint("ck_call_legs_position", "position >= 0");
                    table.CheckConstraint("ck_call_legs_srtp_suite", "(media_protection = 'Srtp') = (srtp_suite IS NOT NULL)");
                    table.CheckConstraint("ck_call_legs_tls", "(transport = 'Tls') = (tls_version IS NOT NULL)");
                    table.CheckConstraint("ck_call_legs_transport_values", "transport IN ('Tls', 'Tcp', 'Udp', 'Internal')");
                    table.CheckConstraint("ck_call_legs_verified", "NOT peer_certificate_verified OR transport = 'Tls'");
                });

            migrationBuilder.CreateTable(
                name: "call_records",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sip_call_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    from_party = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    to_party = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    answered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    outcome = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    final_sip_status = table.Column<int>(type: "integer", nullable: true),
                    recorded = table.Column<bool>(type: "boolean", nullable: false),
                    recording_policy_id = table.Column<Guid>(type: "uuid", nullable: true),
                    security_statement = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_call_records", x => x.id);
                    table.UniqueConstraint("ak_call_records_tenant_id_id", x => new { x.tenant_id, x.id });
                    table.CheckConstraint("ck_call_records_ended", "(outcome = 'InProgress') = (ended_at IS NULL)");
                    table.CheckConstraint("ck_call_records_outcome_values", "outcome IN ('InProgress', 'Answered', 'Busy', 'NoAnswer', 'Rejected', 'NotFound', 'Unavailable', 'Cancelled', 'Failed')");
                    table.CheckConstraint("ck_call_records_sip_status", "final_sip_status IS NULL OR final_sip_status BETWEEN 100 AND 699");
                    table.CheckConstraint("ck_call_records_times", "(answered_at IS NULL OR answered_at >= started_at) AND (ended_at IS NULL OR ended_at >= started_at)");
                    table.CheckConstraint("ck_call_records_type_values", "type IN ('ExtensionToExtension', 'Voicemail', 'OutboundPstn', 'InboundPstn')");
                });

            migrationBuilder.CreateTable(
                name: "recordings",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    call_record_id = table.Column<Guid>(type: "uuid", nullable: false),
                    recording_policy_id = table.Column<Guid>(type: "uuid", nullable: true),
                    storage_path = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    duration_ms = table.Column<int>(type: "integer", nullable: false),
                    wrapped_data_key = table.Column<byte[]>(type: "bytea", nullable: false),
                    audio_sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: true),
                    manifest_sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: true),
                    previous_manifest_sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: true),
                    status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_recordings", x => x.id);
                    table.CheckConstraint("ck_recordings_complete", "status <> 'Complete' OR (ended_at IS NOT NULL AND audio_sha256 IS NOT NULL AND manifest_sha256 IS NOT NULL)");
                    table.CheckConstraint("ck_recordings_deleted", "(status = 'Deleted') = (deleted_at IS NOT NULL)");
                    table.CheckConstraint("ck_recordings_sizes", "size_bytes >= 0 AND duration_ms >= 0");
                    table.CheckConstraint("ck_recordings_status_values", "status IN ('Recording', 'Complete', 'Deleted', 'Failed')");
                    table.ForeignKey(
                        name: "fk_recordings_call_records_tenant_id_call_record_id",
                        columns: x => new { x.tenant_id, x.call_record_id },
                        principalTable: "call_records",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "device_certificates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    device_id = table.Column<Guid>(type: "uuid", nullable: false),
                    issuer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    serial = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    fingerprint = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    subject = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    mac = table.Column<string>(type: "character(12)", fixedLength: true, maxLength: 12, nullable: false),
                    not_before = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    not_after = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    source = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    certificate_der = table.Column<byte[]>(type: "bytea", nullable: false),
                    protected_private_key = table.Column<byte[]>(type: "bytea", nullable: true),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revocation_reason = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_device_certificates", x => x.id);
                    table.CheckConstraint("ck_device_certificates_fingerprint", "fingerprint ~ '^[0-9a-f]{64}$'");
                    table.CheckConstraint("ck_device_certificates_key_only_when_issued", "protected_private_key IS NULL OR source = 'Issued'");
                    table.CheckConstraint("ck_device_certificates_mac", "mac ~ '^[0-9a-f]{12}$'");
                    table.CheckConstraint("ck_device_certificates_revocation", "(revoked_at IS NULL) = (revocation_reason IS NULL)");
                    table.CheckConstraint("ck_device_certificates_revocation_reason_values", "revocation_reason IN ('Unspecified', 'KeyCompromise', 'Superseded', 'CessationOfOperation', 'AffiliationChanged')");
                    table.CheckConstraint("ck_device_certificates_serial", "serial ~ '^[0-9a-f]{1,64}$'");
                    table.CheckConstraint("ck_device_certificates_source_values", "source IN ('Issued', 'Uploaded')");
                    table.CheckConstraint("ck_device_certificates_validity", "not_after > not_before");
                    table.ForeignKey(
                        name: "fk_device_certificates_trust_anchors_issuer_id",
                        column: x => x.issuer_id,
                        principalTable: "trust_anchors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "device_lines",
                columns: table => new
                {
                    device_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    extension_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_device_lines", x => new { x.device_id, x.position });
                    table.CheckConstraint("ck_device_lines_position", "position BETWEEN 1 AND 64");
                });

            migrationBuilder.CreateTable(
                name: "devices",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    mac = table.Column<string>(type: "character(12)", fixedLength: true, maxLength: 12, nullable: false),
                    vendor = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    model = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    active_certificate_id = table.Column<Guid>(type: "uuid", nullable: true),
                    last_provisioned_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_devices", x => x.id);
                    table.UniqueConstraint("ak_devices_tenant_id_id", x => new { x.tenant_id, x.id });
                    table.CheckConstraint("ck_devices_mac", "mac ~ '^[0-9a-f]{12}$'");
                    table.CheckConstraint("ck_devices_model", "length(btrim(model)) > 0");
                    table.CheckConstraint("ck_devices_status_values", "status IN ('Active', 'Disabled')");
                    table.CheckConstraint("ck_devices_vendor_values", "vendor IN ('Yealink', 'Polycom', 'Snom', 'Grandstream', 'Cisco', 'Baresip', 'Linphone', 'Other')");
                    table.ForeignKey(
                        name: "fk_devices_device_certificates_active_certificate_id",
                        column: x => x.active_certificate_id,
                        principalTable: "device_certificates",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "extensions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    display_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    voicemail_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    voicemail_pin_hash = table.Column<string>(type: "text", nullable: true),
                    voicemail_email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    recording_policy_id = table.Column<Guid>(type: "uuid", nullable: true),
                    sip_digest_required = table.Column<bool>(type: "boolean", nullable: false),
                    sip_digest_ha1sha256 = table.Column<string>(type: "text", nullable: true),
                    sip_digest_ha1md5 = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_extensions", x => x.id);
                    table.UniqueConstraint("ak_extensions_tenant_id_id", x => new { x.tenant_id, x.id });
                    table.CheckConstraint("ck_extensions_digest", "NOT sip_digest_required OR (sip_digest_ha1sha256 IS NOT NULL)");
                    table.CheckConstraint("ck_extensions_display_name", "length(btrim(display_name)) > 0");
                    table.CheckConstraint("ck_extensions_number", "number ~ '^[0-9]{2,8}$'");
                });

            migrationBuilder.CreateTable(
                name: "registrations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    extension_id = table.Column<Guid>(type: "uuid", nullable: false),
                    device_id = table.Column<Guid>(type: "uuid", nullable: false),
                    contact_uri = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    instance_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    reg_id = table.Column<int>(type: "integer", nullable: true),
                    source_address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    switch_node = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    user_agent = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    registered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_registrations", x => x.id);
                    table.CheckConstraint("ck_registrations_expiry", "expires_at > registered_at");
                    table.ForeignKey(
                        name: "fk_registrations_devices_tenant_id_device_id",
                        columns: x => new { x.tenant_id, x.device_id },
                        principalTable: "devices",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_registrations_extensions_tenant_id_extension_id",
                        columns: x => new { x.tenant_id, x.extension_id },
                        principalTable: "extensions",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "voicemail_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    extension_id = table.Column<Guid>(type: "uuid", nullable: false),
                    call_record_id = table.Column<Guid>(type: "uuid", nullable: true),
                    caller_number = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    caller_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    duration_ms = table.Column<int>(type: "integer", nullable: false),
                    storage_path = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    wrapped_data_key = table.Column<byte[]>(type: "bytea", nullable: false),
                    audio_sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: true),
                    status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    heard_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_voicemail_messages", x => x.id);
                    table.CheckConstraint("ck_voicemail_messages_deleted", "(status = 'Deleted') = (deleted_at IS NOT NULL)");
                    table.CheckConstraint("ck_voicemail_messages_duration", "duration_ms >= 0");
                    table.CheckConstraint("ck_voicemail_messages_status_values", "status IN ('New', 'Saved', 'Deleted')");
                    table.ForeignKey(
                        name: "fk_voicemail_messages_call_records_tenant_id_call_record_id",
                        columns: x => new { x.tenant_id, x.call_record_id },
                        principalTable: "call_records",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_voicemail_messages_extensions_tenant_id_extension_id",
                        columns: x => new { x.tenant_id, x.extension_id },
                        principalTable: "extensions",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "inbound_numbers",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    trunk_id = table.Column<Guid>(type: "uuid", nullable: true),
                    destination_extension_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbound_numbers", x => x.id);
                    table.CheckConstraint("ck_inbound_numbers_e164", "number ~ '^\\+[1-9][0-9]{6,14}$'");
                    table.ForeignKey(
                        name: "fk_inbound_numbers_extensions_tenant_id_destination_extension_",
                        columns: x => new { x.tenant_id, x.destination_extension_id },
                        principalTable: "extensions",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "outbound_routes",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    prefix = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    strip_digits = table.Column<int>(type: "integer", nullable: false),
                    priority = table.Column<int>(type: "integer", nullable: false),
                    trunk_id = table.Column<Guid>(type: "uuid", nullable: false),
                    enabled = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbound_routes", x => x.id);
                    table.CheckConstraint("ck_outbound_routes_prefix", "prefix ~ '^\\+?[0-9]*$'");
                    table.CheckConstraint("ck_outbound_routes_strip_digits", "strip_digits BETWEEN 0 AND 16");
                });

            migrationBuilder.CreateTable(
                name: "portal_user_claims",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    claim_type = table.Column<string>(type: "text", nullable: true),
                    claim_value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_portal_user_claims", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "portal_user_logins",
                columns: table => new
                {
                    login_provider = table.Column<string>(type: "text", nullable: false),
                    provider_key = table.Column<string>(type: "text", nullable: false),
                    provider_display_name = table.Column<string>(type: "text", nullable: true),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_portal_user_logins", x => new { x.login_provider, x.provider_key });
                });

            migrationBuilder.CreateTable(
                name: "portal_user_tokens",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    login_provider = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_portal_user_tokens", x => new { x.user_id, x.login_provider, x.name });
                });

            migrationBuilder.CreateTable(
                name: "portal_users",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    role = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    reseller_id = table.Column<Guid>(type: "uuid", nullable: true),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: true),
                    display_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    user_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    normalized_user_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    normalized_email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    email_confirmed = table.Column<bool>(type: "boolean", nullable: false),
                    password_hash = table.Column<string>(type: "text", nullable: true),
                    security_stamp = table.Column<string>(type: "text", nullable: true),
                    concurrency_stamp = table.Column<string>(type: "text", nullable: true),
                    phone_number = table.Column<string>(type: "text", nullable: true),
                    phone_number_confirmed = table.Column<bool>(type: "boolean", nullable: false),
                    two_factor_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    lockout_end = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    lockout_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    access_failed_count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_portal_users", x => x.id);
                    table.CheckConstraint("ck_portal_users_role_values", "role IN ('Operator', 'ResellerAdmin', 'TenantAdmin', 'ComplianceOfficer')");
                    table.CheckConstraint("ck_portal_users_scope", "(role = 'Operator' AND reseller_id IS NULL AND tenant_id IS NULL) OR (role = 'ResellerAdmin' AND reseller_id IS NOT NULL AND tenant_id IS NULL) OR (role IN ('TenantAdmin', 'ComplianceOfficer') AND tenant_id IS NOT NULL AND reseller_id IS NULL)");
                    table.ForeignKey(
                        name: "fk_portal_users_resellers_reseller_id",
                        column: x => x.reseller_id,
                        principalTable: "resellers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "recording_policies",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    mode = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    announce = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_recording_policies", x => x.id);
                    table.UniqueConstraint("ak_recording_policies_tenant_id_id", x => new { x.tenant_id, x.id });
                    table.CheckConstraint("ck_recording_policies_mode_values", "mode IN ('Never', 'Always', 'ExternalOnly', 'OnDemand')");
                });

            migrationBuilder.CreateTable(
                name: "tenants",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    reseller_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    max_extensions = table.Column<int>(type: "integer", nullable: false),
                    max_concurrent_calls = table.Column<int>(type: "integer", nullable: false),
                    time_zone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    voicemail_access_number = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    allowed_srtp_suites = table.Column<string[]>(type: "text[]", nullable: false),
                    default_recording_policy_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    suspended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tenants", x => x.id);
                    table.CheckConstraint("ck_tenants_allowed_srtp_suites", "cardinality(allowed_srtp_suites) > 0");
                    table.CheckConstraint("ck_tenants_max_concurrent_calls", "max_concurrent_calls BETWEEN 1 AND 10000");
                    table.CheckConstraint("ck_tenants_max_extensions", "max_extensions BETWEEN 1 AND 100000");
                    table.CheckConstraint("ck_tenants_name", "length(btrim(name)) > 0");
                    table.CheckConstraint("ck_tenants_status_values", "status IN ('Active', 'Suspended', 'Closed')");
                    table.CheckConstraint("ck_tenants_suspended_at", "(status = 'Suspended') = (suspended_at IS NOT NULL)");
                    table.CheckConstraint("ck_tenants_voicemail_access_number", "voicemail_access_number ~ '^[*#0-9]{1,16}$'");
                    table.ForeignKey(
                        name: "fk_tenants_recording_policies_default_recording_policy_id",
                        column: x => x.default_recording_policy_id,
                        principalTable: "recording_policies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_tenants_resellers_reseller_id",
                        column: x => x.reseller_id,
                        principalTable: "resellers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "retention_settings",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    recording_days = table.Column<int>(type: "integer", nullable: false),
                    voicemail_days = table.Column<int>(type: "integer", nullable: false),
                    call_record_days = table.Column<int>(type: "integer", nullable: false),
                    legal_hold = table.Column<bool>(type: "boolean", nullable: false),
                    legal_hold_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    legal_hold_since = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    reseller_may_listen = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_retention_settings", x => x.tenant_id);
                    table.CheckConstraint("ck_retention_settings_days", "recording_days BETWEEN 1 AND 3650 AND voicemail_days BETWEEN 1 AND 3650 AND call_record_days BETWEEN 1 AND 3650");
                    table.CheckConstraint("ck_retention_settings_legal_hold", "NOT legal_hold OR (legal_hold_reason IS NOT NULL AND legal_hold_since IS NOT NULL)");
                    table.ForeignKey(
                        name: "fk_retention_settings_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "trunks",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    host = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    port = table.Column<int>(type: "integer", nullable: false),
                    transport = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    verify_server_certificate = table.Column<bool>(type: "boolean", nullable: false),
                    srtp_required = table.Column<bool>(type: "boolean", nullable: false),
                    username = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    protected_password = table.Column<byte[]>(type: "bytea", nullable: true),
                    max_channels = table.Column<int>(type: "integer", nullable: false),
                    recording_policy_id = table.Column<Guid>(type: "uuid", nullable: true),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_trunks", x => x.id);
                    table.UniqueConstraint("ak_trunks_tenant_id_id", x => new { x.tenant_id, x.id });
                    table.CheckConstraint("ck_trunks_host", "length(btrim(host)) > 0");
                    table.CheckConstraint("ck_trunks_max_channels", "max_channels BETWEEN 1 AND 10000");
                    table.CheckConstraint("ck_trunks_port", "port BETWEEN 1 AND 65535");
                    table.CheckConstraint("ck_trunks_transport_values", "transport IN ('Tls', 'Tcp', 'Udp')");
                    table.ForeignKey(
                        name: "fk_trunks_recording_policies_tenant_id_recording_policy_id",
                        columns: x => new { x.tenant_id, x.recording_policy_id },
                        principalTable: "recording_policies",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_trunks_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_prefix",
                table: "api_keys",
                column: "prefix",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_reseller_id",
                table: "api_keys",
                column: "reseller_id");

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_occurred_at",
                table: "audit_events",
                column: "occurred_at",
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_reseller_id_occurred_at",
                table: "audit_events",
                columns: new[] { "reseller_id", "occurred_at" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_tenant_id_occurred_at",
                table: "audit_events",
                columns: new[] { "tenant_id", "occurred_at" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_call_legs_call_record_id_position",
                table: "call_legs",
                columns: new[] { "call_record_id", "position" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_call_legs_tenant_id_call_record_id",
                table: "call_legs",
                columns: new[] { "tenant_id", "call_record_id" });

            migrationBuilder.CreateIndex(
                name: "ix_call_records_sip_call_id",
                table: "call_records",
                column: "sip_call_id");

            migrationBuilder.CreateIndex(
                name: "ix_call_records_tenant_id_started_at",
                table: "call_records",
                columns: new[] { "tenant_id", "started_at" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_device_certificates_fingerprint",
                table: "device_certificates",
                column: "fingerprint",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_device_certificates_issuer_id_serial",
                table: "device_certificates",
                columns: new[] { "issuer_id", "serial" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_device_certificates_not_after",
                table: "device_certificates",
                column: "not_after");

            migrationBuilder.CreateIndex(
                name: "ix_device_certificates_tenant_id_device_id",
                table: "device_certificates",
                columns: new[] { "tenant_id", "device_id" });

            migrationBuilder.CreateIndex(
                name: "ix_device_lines_device_id_extension_id",
                table: "device_lines",
                columns: new[] { "device_id", "extension_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_device_lines_tenant_id_device_id",
                table: "device_lines",
                columns: new[] { "tenant_id", "device_id" });

            migrationBuilder.CreateIndex(
                name: "ix_device_lines_tenant_id_extension_id",
                table: "device_lines",
                columns: new[] { "tenant_id", "extension_id" });

            migrationBuilder.CreateIndex(
                name: "ix_devices_active_certificate_id",
                table: "devices",
                column: "active_certificate_id");

            migrationBuilder.CreateIndex(
                name: "ix_devices_mac",
                table: "devices",
                column: "mac",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_extensions_tenant_id_number",
                table: "extensions",
                columns: new[] { "tenant_id", "number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_extensions_tenant_id_recording_policy_id",
                table: "extensions",
                columns: new[] { "tenant_id", "recording_policy_id" });

            migrationBuilder.CreateIndex(
                name: "ix_inbound_numbers_number",
                table: "inbound_numbers",
                column: "number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_inbound_numbers_tenant_id_destination_extension_id",
                table: "inbound_numbers",
                columns: new[] { "tenant_id", "destination_extension_id" });

            migrationBuilder.CreateIndex(
                name: "ix_inbound_numbers_tenant_id_trunk_id",
                table: "inbound_numbers",
                columns: new[] { "tenant_id", "trunk_id" });

            migrationBuilder.CreateIndex(
                name: "ix_outbound_routes_tenant_id_priority",
                table: "outbound_routes",
                columns: new[] { "tenant_id", "priority" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbound_routes_tenant_id_trunk_id",
                table: "outbound_routes",
                columns: new[] { "tenant_id", "trunk_id" });

            migrationBuilder.CreateIndex(
                name: "ix_portal_user_claims_user_id",
                table: "portal_user_claims",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_portal_user_logins_user_id",
                table: "portal_user_logins",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "EmailIndex",
                table: "portal_users",
                column: "normalized_email");

            migrationBuilder.CreateIndex(
                name: "UserNameIndex",
                table: "portal_users",
                column: "normalized_user_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_portal_users_reseller_id",
                table: "portal_users",
                column: "reseller_id");

            migrationBuilder.CreateIndex(
                name: "ix_portal_users_tenant_id",
                table: "portal_users",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_recording_policies_tenant_id_name",
                table: "recording_policies",
                columns: new[] { "tenant_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_recordings_manifest_sha256",
                table: "recordings",
                column: "manifest_sha256",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_recordings_storage_path",
                table: "recordings",
                column: "storage_path",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_recordings_tenant_id_call_record_id",
                table: "recordings",
                columns: new[] { "tenant_id", "call_record_id" });

            migrationBuilder.CreateIndex(
                name: "ix_recordings_tenant_id_previous_manifest_sha256",
                table: "recordings",
                columns: new[] { "tenant_id", "previous_manifest_sha256" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_recordings_tenant_id_started_at",
                table: "recordings",
                columns: new[] { "tenant_id", "started_at" });

            migrationBuilder.CreateIndex(
                name: "ix_registrations_expires_at",
                table: "registrations",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_registrations_extension_id_device_id_contact_uri",
                table: "registrations",
                columns: new[] { "extension_id", "device_id", "contact_uri" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_registrations_tenant_id_device_id",
                table: "registrations",
                columns: new[] { "tenant_id", "device_id" });

            migrationBuilder.CreateIndex(
                name: "ix_registrations_tenant_id_extension_id",
                table: "registrations",
                columns: new[] { "tenant_id", "extension_id" });

            migrationBuilder.CreateIndex(
                name: "ix_resellers_name",
                table: "resellers",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_tenants_default_recording_policy_id",
                table: "tenants",
                column: "default_recording_policy_id");

            migrationBuilder.CreateIndex(
                name: "ix_tenants_reseller_id_name",
                table: "tenants",
                columns: new[] { "reseller_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_trunks_tenant_id_name",
                table: "trunks",
                columns: new[] { "tenant_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_trunks_tenant_id_recording_policy_id",
                table: "trunks",
                columns: new[] { "tenant_id", "recording_policy_id" });

            migrationBuilder.CreateIndex(
                name: "ix_trust_anchors_fingerprint",
                table: "trust_anchors",
                column: "fingerprint",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_trust_anchors_parent_id",
                table: "trust_anchors",
                column: "parent_id");

            migrationBuilder.CreateIndex(
                name: "ix_voicemail_messages_extension_id_received_at",
                table: "voicemail_messages",
                columns: new[] { "extension_id", "received_at" });

            migrationBuilder.CreateIndex(
                name: "ix_voicemail_messages_storage_path",
                table: "voicemail_messages",
                column: "storage_path",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_voicemail_messages_tenant_id_call_record_id",
                table: "voicemail_messages",
                columns: new[] { "tenant_id", "call_record_id" });

            migrationBuilder.CreateIndex(
                name: "ix_voicemail_messages_tenant_id_extension_id",
                table: "voicemail_messages",
                columns: new[] { "tenant_id", "extension_id" });

            migrationBuilder.AddForeignKey(
                name: "fk_call_legs_call_records_tenant_id_call_record_id",
                table: "call_legs",
                columns: new[] { "tenant_id", "call_record_id" },
                principalTable: "call_records",
                principalColumns: new[] { "tenant_id", "id" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_call_records_tenants_tenant_id",
                table: "call_records",
                column: "tenant_id",
                principalTable: "tenants",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_device_certificates_devices_tenant_id_device_id",
                table: "device_certificates",
                columns: new[] { "tenant_id", "device_id" },
                principalTable: "devices",
                principalColumns: new[] { "tenant_id", "id" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_device_lines_devices_tenant_id_device_id",
                table: "device_lines",
                columns: new[] { "tenant_id", "device_id" },
                principalTable: "devices",
                principalColumns: new[] { "tenant_id", "id" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_device_lines_extensions_tenant_id_extension_id",
                table: "device_lines",
                columns: new[] { "tenant_id", "extension_id" },
                principalTable: "extensions",
                principalColumns: new[] { "tenant_id", "id" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_devices_tenants_tenant_id",
                table: "devices",
                column: "tenant_id",
                principalTable: "tenants",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_extensions_recording_policies_tenant_id_recording_policy_id",
                table: "extensions",
                columns: new[] { "tenant_id", "recording_policy_id" },
                principalTable: "recording_policies",
                principalColumns: new[] { "tenant_id", "id" },
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_extensions_tenants_tenant_id",
                table: "extensions",
                column: "tenant_id",
                principalTable: "tenants",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_inbound_numbers_tenants_tenant_id",
                table: "inbound_numbers",
                column: "tenant_id",
                principalTable: "tenants",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_inbound_numbers_trunks_tenant_id_trunk_id",
                table: "inbound_numbers",
                columns: new[] { "tenant_id", "trunk_id" },
                principalTable: "trunks",
                principalColumns: new[] { "tenant_id", "id" },
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_outbound_routes_tenants_tenant_id",
                table: "outbound_routes",
                column: "tenant_id",
                principalTable: "tenants",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_outbound_routes_trunks_tenant_id_trunk_id",
                table: "outbound_routes",
                columns: new[] { "tenant_id", "trunk_id" },
                principalTable: "trunks",
                principalColumns: new[] { "tenant_id", "id" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_portal_user_claims_asp_net_users_user_id",
                table: "portal_user_claims",
                column: "user_id",
                principalTable: "portal_users",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_portal_user_logins_asp_net_users_user_id",
                table: "portal_user_logins",
                column: "user_id",
                principalTable: "portal_users",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_portal_user_tokens_asp_net_users_user_id",
                table: "portal_user_tokens",
                column: "user_id",
                principalTable: "portal_users",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_portal_users_tenants_tenant_id",
                table: "portal_users",
                column: "tenant_id",
                principalTable: "tenants",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_recording_policies_tenants_tenant_id",
                table: "recording_policies",
                column: "tenant_id",
                principalTable: "tenants",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_tenants_resellers_reseller_id",
                table: "tenants");

            migrationBuilder.DropForeignKey(
                name: "fk_devices_tenants_tenant_id",
                table: "devices");

            migrationBuilder.DropForeignKey(
                name: "fk_recording_policies_tenants_tenant_id",
                table: "recording_policies");

            migrationBuilder.DropForeignKey(
                name: "fk_device_certificates_devices_tenant_id_device_id",
                table: "device_certificates");

            migrationBuilder.DropTable(
                name: "api_keys");

            migrationBuilder.DropTable(
                name: "audit_events");

            migrationBuilder.DropTable(
                name: "call_legs");

            migrationBuilder.DropTable(
                name: "device_lines");

            migrationBuilder.DropTable(
                name: "inbound_numbers");

            migrationBuilder.DropTable(
                name: "outbound_routes");

            migrationBuilder.DropTable(
                name: "portal_user_claims");

            migrationBuilder.DropTable(
                name: "portal_user_logins");

            migrationBuilder.DropTable(
                name: "portal_user_tokens");

            migrationBuilder.DropTable(
                name: "recordings");

            migrationBuilder.DropTable(
                name: "registrations");

            migrationBuilder.DropTable(
                name: "retention_settings");

            migrationBuilder.DropTable(
                name: "voicemail_messages");

            migrationBuilder.DropTable(
                name: "trunks");

            migrationBuilder.DropTable(
                name: "portal_users");

            migrationBuilder.DropTable(
                name: "call_records");

            migrationBuilder.DropTable(
                name: "extensions");

            migrationBuilder.DropTable(
                name: "resellers");

            migrationBuilder.DropTable(
                name: "tenants");

            migrationBuilder.DropTable(
                name: "recording_policies");

            migrationBuilder.DropTable(
                name: "devices");

            migrationBuilder.DropTable(
                name: "device_certificates");

            migrationBuilder.DropTable(
                name: "trust_anchors");
        }
    }
}
