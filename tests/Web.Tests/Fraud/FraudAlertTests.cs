using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Testing;
using HostedPbx.Web.Jobs;
using HostedPbx.Web.Tests.Support;
using HostedPbx.Web.Tests.Voicemail;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;

namespace HostedPbx.Web.Tests.Fraud;

/// <summary>
/// The toll-fraud alert job against a real SMTP server (aiosmtpd, STARTTLS required), as the application role: one
/// suspension, one mail per tenant admin and reseller user, naming the tenant and the reason; a second run (a restart)
/// sends nothing more; another tenant's admin hears nothing.
/// </summary>
public sealed class FraudAlertTests(Portal portal) : IAsyncLifetime
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private TestTenants.Arranged _acme = default!;
    private TestTenants.Arranged _other = default!;
    private SmtpSink _smtp = default!;
    private NpgsqlDataSource _source = default!;

    public async ValueTask InitializeAsync()
    {
        await portal.ResetAsync();
        await using (var owner = portal.Database.CreateOwnerContext())
        {
            _acme = await TestTenants.AddAsync(owner, "Acme Widgets", "0015650000a1");
            _other = await TestTenants.AddAsync(owner, "Other", "0015650000a2");
        }

        _smtp = await SmtpSink.StartAsync();
        _source = NpgsqlDataSource.Create(portal.Database.AppConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        await _smtp.DisposeAsync();
        await _source.DisposeAsync();
    }

    [Fact]
    public async Task Suspension_OneMailPerTenantAdminAndResellerUser_NamingTenantAndReason_NotRepeatedAfterARestart()
    {
        var (tenantAdmin, _) = await portal.AddUserAsync(PortalRole.TenantAdmin, tenantId: _acme.Tenant.Id);
        var (resellerAdmin, _) = await portal.AddUserAsync(PortalRole.ResellerAdmin, resellerId: _acme.Reseller.Id);
        var (otherAdmin, _) = await portal.AddUserAsync(PortalRole.TenantAdmin, tenantId: _other.Tenant.Id);
        await using (var owner = portal.Database.CreateOwnerContext())
        {
            owner.PstnSettings.Add(new PstnSettings
            {
                TenantId = _acme.Tenant.Id, OutboundSuspendedAt = TestClock.Now, SuspensionReason = "11 international attempts within 5 minutes (more than 10)",
            });
            await owner.SaveChangesAsync(_ct);
        }

        await Job().RunAsync(_ct);
        // A restart: a new job over the same database finds the suspension alerted already.
        await Job().RunAsync(_ct);

        var mails = new List<MimeMessage>();
        foreach (var file in _smtp.Mails)
        {
            mails.Add(await MimeMessage.LoadAsync(file, _ct));
        }

        Assert.Equal([resellerAdmin, tenantAdmin], mails.Select(m => m.To.Mailboxes.Single().Address).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(mails, m => m.To.Mailboxes.Any(a => a.Address == otherAdmin));
        Assert.All(mails, m =>
        {
            Assert.Contains("Acme Widgets", m.Subject, StringComparison.Ordinal);
            Assert.Contains("11 international attempts within 5 minutes (more than 10)", m.TextBody, StringComparison.Ordinal);
            Assert.Contains($"/tenants/{_acme.Tenant.Id}/fraud", m.TextBody, StringComparison.Ordinal);
            // No secrets: not the relay's password, no key material, no other tenant.
            Assert.DoesNotContain("relay-secret", m.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("Other", m.TextBody, StringComparison.Ordinal);
        });
        await using var check = portal.Database.CreateOwnerContext();
        Assert.NotNull((await check.PstnSettings.SingleAsync(s => s.TenantId == _acme.Tenant.Id, _ct)).AlertedAt);
        var audit = await check.AuditEvents.SingleAsync(e => e.Action == "pstn.outbound-suspend.alert", _ct);
        Assert.Equal((_acme.Tenant.Id, "e-mailed 2 recipient(s)"), (audit.TenantId, audit.Reason));
    }

    [Fact]
    public async Task RelayWithoutStartTls_NothingMarked_SoTheNextRunStillAlerts()
    {
        await portal.AddUserAsync(PortalRole.TenantAdmin, tenantId: _acme.Tenant.Id);
        await using (var owner = portal.Database.CreateOwnerContext())
        {
            owner.PstnSettings.Add(new PstnSettings { TenantId = _acme.Tenant.Id, OutboundSuspendedAt = TestClock.Now, SuspensionReason = "burst" });
            await owner.SaveChangesAsync(_ct);
        }

        var plain = MailOptions();
        plain.UseStartTls = false;
        await new FraudAlertJob(Factory(), new VoicemailMailer(Options.Create(plain)), Options.Create(plain), TimeProvider.System,
            NullLogger<FraudAlertJob>.Instance).RunAsync(_ct);
        var unsent = await AlertedAtAsync();
        await Job().RunAsync(_ct);

        Assert.Null(unsent);
        Assert.Single(_smtp.Mails);
        Assert.NotNull(await AlertedAtAsync());
    }

    private async Task<DateTimeOffset?> AlertedAtAsync()
    {
        await using var check = portal.Database.CreateOwnerContext();
        return (await check.PstnSettings.AsNoTracking().SingleAsync(s => s.TenantId == _acme.Tenant.Id, _ct)).AlertedAt;
    }

    private FraudAlertJob Job() => new(Factory(), new VoicemailMailer(Options.Create(MailOptions())), Options.Create(MailOptions()), TimeProvider.System,
        NullLogger<FraudAlertJob>.Instance);

    private VoicemailMailOptions MailOptions() => new()
    {
        Host = "127.0.0.1", Port = _smtp.Port, UseStartTls = true, CaCertificatePath = _smtp.CaCertificatePath, From = "alerts@pbx.example.test",
        PortalUrl = "https://portal.example.test",
    };

    private PooledDbContextFactory<PbxDbContext> Factory() => new(DataServices.CreateOptions(_source));
}
