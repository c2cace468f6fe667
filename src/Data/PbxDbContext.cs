using HostedPbx.Data.Entities;
using HostedPbx.Data.Configurations;
using HostedPbx.Data.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data;

/// <summary>
/// The platform's one model. Tenancy is explicit (<c>ForTenant(id)</c>); <see cref="Scope"/> is what row-level
/// security sees on this context's connections, and it starts as <see cref="DbScope.None"/>: no tenant rows.
/// </summary>
public sealed class PbxDbContext(DbContextOptions<PbxDbContext> options) : IdentityUserContext<PortalUser, Guid>(options)
{
    public DbSet<Reseller> Resellers => Set<Reseller>();
    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Extension> Extensions => Set<Extension>();
    public DbSet<Device> Devices => Set<Device>();
    public DbSet<DeviceLine> DeviceLines => Set<DeviceLine>();
    public DbSet<TrustAnchor> TrustAnchors => Set<TrustAnchor>();
    public DbSet<DeviceCertificate> DeviceCertificates => Set<DeviceCertificate>();
    public DbSet<Carrier> Carriers => Set<Carrier>();
    public DbSet<Trunk> Trunks => Set<Trunk>();
    public DbSet<InboundNumber> InboundNumbers => Set<InboundNumber>();
    public DbSet<OutboundRoute> OutboundRoutes => Set<OutboundRoute>();
    public DbSet<PstnSettings> PstnSettings => Set<PstnSettings>();
    public DbSet<RecordingPolicy> RecordingPolicies => Set<RecordingPolicy>();
    public DbSet<RetentionSettings> RetentionSettings => Set<RetentionSettings>();
    public DbSet<CallRecord> CallRecords => Set<CallRecord>();
    public DbSet<CallLegRecord> CallLegs => Set<CallLegRecord>();
    public DbSet<Recording> Recordings => Set<Recording>();
    public DbSet<RecordingSigningKey> RecordingSigningKeys => Set<RecordingSigningKey>();
    public DbSet<LegalHold> LegalHolds => Set<LegalHold>();
    public DbSet<VoicemailMessage> VoicemailMessages => Set<VoicemailMessage>();
    public DbSet<VoicemailGreeting> VoicemailGreetings => Set<VoicemailGreeting>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<Registration> Registrations => Set<Registration>();
    public DbSet<SwitchNode> SwitchNodes => Set<SwitchNode>();
    public DbSet<SwitchNodeCall> SwitchNodeCalls => Set<SwitchNodeCall>();
    public DbSet<TrunkState> TrunkStates => Set<TrunkState>();
    public DbSet<PublishedRevocationList> PublishedRevocationLists => Set<PublishedRevocationList>();
    public DbSet<CertificateRevocation> CertificateRevocations => Set<CertificateRevocation>();

    /// <summary>The caller's scope as row-level security sees it; set it before the first query.</summary>
    public DbScope Scope { get; private set; } = DbScope.None;

    /// <summary>Sets the scope for every connection this context opens from now on, and for the open one.</summary>
    public void UseScope(DbScope scope)
    {
        Scope = scope;
        var connection = Database.GetDbConnection();
        if (connection.State == System.Data.ConnectionState.Open)
        {
            DbScopeInterceptor.Apply(connection, scope);
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name: readable in SQL and in the audit trail, and checked by constraints below.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(40);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<IdentityUserClaim<Guid>>().ToTable("portal_user_claims");
        builder.Entity<IdentityUserLogin<Guid>>().ToTable("portal_user_logins");
        builder.Entity<IdentityUserToken<Guid>>().ToTable("portal_user_tokens");
        builder.ApplyConfigurationsFromAssembly(typeof(PbxDbContext).Assembly);
        EnumCheckConstraints.Add(builder);
    }
}
