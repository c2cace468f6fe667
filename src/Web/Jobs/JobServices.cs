using Hangfire;
using Hangfire.PostgreSql;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Hosting;

namespace HostedPbx.Web.Jobs;

/// <summary>
/// Hangfire on the platform's PostgreSQL (schema installed by the migrator, never at start), its server in this part,
/// the jobs, and <see cref="JobSchedule"/>; the dashboard at <see cref="DashboardPath"/> for operators only.
/// </summary>
internal static class JobServices
{
    public const string DashboardPath = "/hangfire";

    public static IHostApplicationBuilder AddPbxJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHangfire((sp, configuration) => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                options => options.UseConnectionFactory(new JobStoreConnections(sp)),
                new PostgreSqlStorageOptions { SchemaName = DatabaseMigrator.JobSchema, PrepareSchemaIfNecessary = false }));
        // Two cores: the platform's jobs are few and short, two workers are plenty.
        builder.Services.AddHangfireServer(options => options.WorkerCount = 2);
        builder.Services.AddTransient<CertificateExpiryJob>();
        builder.Services.AddTransient<RevocationListRefreshJob>();
        builder.Services.AddOptions<VoicemailMailOptions>().BindConfiguration(VoicemailMailOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<VoicemailMailer>();
        builder.Services.AddTransient<VoicemailEmailScanJob>();
        builder.Services.AddTransient<VoicemailEmailJob>();
        builder.Services.AddOptions<HostedPbx.Data.Recordings.RecordingOptions>().BindConfiguration(HostedPbx.Data.Recordings.RecordingOptions.SectionName);
        builder.Services.AddTransient<RecordingRetentionJob>();
        builder.Services.AddTransient<FraudAlertJob>();
        builder.Services.AddHostedService<JobSchedule>();
        return builder;
    }

    /// <summary>Signed-in operators only: anyone else is sent to sign in, or told "not found" like any page above their role.</summary>
    public static IEndpointConventionBuilder MapPbxJobsDashboard(this WebApplication app) =>
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions
        {
            Authorization = [new OperatorDashboardAuthorization()],
            DisplayStorageConnectionString = false,
            DashboardTitle = "HostedPbx jobs",
            AppPath = "/",
        }).RequireAuthorization(policy => policy.RequireRole(nameof(PortalRole.Operator)));
}
