using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Voicemail;
using HostedPbx.Testing;
using HostedPbx.Web.Jobs;
using HostedPbx.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;

namespace HostedPbx.Web.Tests.Voicemail;

/// <summary>The e-mail job against a real SMTP server (aiosmtpd) that insists on STARTTLS, as the application role.</summary>
public sealed class VoicemailEmailTests(Portal portal) : IAsyncLifetime
{
    private TestTenants.Arranged _acme = default!;
    private SmtpSink _smtp = default!;
    private NpgsqlDataSource _source = default!;
    private KeyProtector _protector = default!;

    public async ValueTask InitializeAsync()
    {
        await portal.ResetAsync();
        await using (var owner = portal.Database.CreateOwnerContext())
        {
            _acme = await TestTenants.AddAsync(owner, "Acme", "0015650000e1");
            await owner.Extensions.Where(e => e.Id == _acme.Extension.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.VoicemailEmail, "ann@example.test"));
        }

        _smtp = await SmtpSink.StartAsync();
        _source = NpgsqlDataSource.Create(portal.Database.AppConnectionString);
        _protector = KeyProtector.FromBase64(Portal.MasterKey);
    }

    public async ValueTask DisposeAsync()
    {
        await _smtp.DisposeAsync();
        await _source.DisposeAsync();
        _protector.Dispose();
    }

    [Fact]
    public async Task EmailJob_Notice_ReachesTheRelayOverStartTls_WithCallerTimeLengthAndLink_OnceOnly()
    {
        var message = await AddMessageAsync(includeAudio: false);

        await Job().RunAsync(message.Id, TestContext.Current.CancellationToken);
        await Job().RunAsync(message.Id, TestContext.Current.CancellationToken);

        var mail = Assert.Single(_smtp.Mails);
        var parsed = await MimeMessage.LoadAsync(mail, TestContext.Current.CancellationToken);
        Assert.Equal("ann@example.test", parsed.To.Mailboxes.Single().Address);
        Assert.Contains("202", parsed.Subject, StringComparison.Ordinal);
        Assert.Contains("0:02", parsed.TextBody, StringComparison.Ordinal);
        Assert.Contains($"/tenants/{_acme.Tenant.Id}/extensions/{_acme.Extension.Id}/voicemail", parsed.TextBody, StringComparison.Ordinal);
        Assert.Empty(parsed.Attachments);
        // The sink refuses MAIL before STARTTLS (530; see the next test), so a mail that arrived came over TLS.
        await using var owner = portal.Database.CreateOwnerContext();
        Assert.NotNull((await owner.VoicemailMessages.SingleAsync(m => m.Id == message.Id, TestContext.Current.CancellationToken)).EmailedAt);
        Assert.Equal(1, await owner.AuditEvents.CountAsync(e => e.Action == "voicemail.email" && e.TargetId == message.Id.ToString(), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task EmailJob_RelayRefuses_Throws_SoHangfireRetries_AndTheMessageStaysUnsent()
    {
        var message = await AddMessageAsync(includeAudio: false);
        var plain = MailOptions();
        plain.UseStartTls = false;
        var job = new VoicemailEmailJob(Factory(), new VoicemailMailer(Options.Create(plain)),
            new VoicemailAudio(new VoicemailFiles(portal.VoicemailDirectory), _protector), Options.Create(plain), TimeProvider.System,
            NullLogger<VoicemailEmailJob>.Instance);

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => job.RunAsync(message.Id, TestContext.Current.CancellationToken));

        Assert.Contains("STARTTLS", refused.Message, StringComparison.Ordinal);

        Assert.Empty(_smtp.Mails);
        await using var owner = portal.Database.CreateOwnerContext();
        Assert.Null((await owner.VoicemailMessages.SingleAsync(m => m.Id == message.Id, TestContext.Current.CancellationToken)).EmailedAt);
    }

    [Fact]
    public async Task EmailJob_TenantWantsAudio_AttachesTheDecryptedWav()
    {
        var message = await AddMessageAsync(includeAudio: true);

        await Job().RunAsync(message.Id, TestContext.Current.CancellationToken);

        var parsed = await MimeMessage.LoadAsync(Assert.Single(_smtp.Mails), TestContext.Current.CancellationToken);
        var attachment = Assert.IsType<MimePart>(Assert.Single(parsed.Attachments));
        Assert.Equal("audio/wav", attachment.ContentType.MimeType);
        using var wav = new MemoryStream();
        await attachment.Content!.DecodeToAsync(wav, TestContext.Current.CancellationToken);
        Assert.Equal(TestVoicemail.Tone(440, 2), wav.ToArray()[44..]);
        Assert.Contains("left the platform's protection", parsed.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanJob_QueuesOnlyCompleteUnsentMessagesOfExtensionsWithAnAddress()
    {
        var due = await AddMessageAsync(includeAudio: false);
        await using (var owner = portal.Database.CreateOwnerContext())
        {
            var sent = await TestVoicemail.AddAsync(owner, portal.VoicemailDirectory, Portal.MasterKey, _acme.Tenant.Id, _acme.Extension.Id,
                TestVoicemail.Tone(440, 1));
            await owner.VoicemailMessages.Where(m => m.Id == sent.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.EmailedAt, TestClock.Now), TestContext.Current.CancellationToken);
        }

        var queued = new RecordingJobClient();
        var scan = new VoicemailEmailScanJob(Factory(), queued, new Hangfire.PostgreSql.PostgreSqlStorage(new AppConnections(portal.Database.AppConnectionString),
            new Hangfire.PostgreSql.PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = false }), Options.Create(MailOptions()),
            new FixedClock(TestClock.Now.AddHours(1)), NullLogger<VoicemailEmailScanJob>.Instance);
        await scan.RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal([due.Id], queued.MessageIds);
    }

    private VoicemailEmailJob Job() => new(Factory(), new VoicemailMailer(Options.Create(MailOptions())),
        new VoicemailAudio(new VoicemailFiles(portal.VoicemailDirectory), _protector), Options.Create(MailOptions()), TimeProvider.System,
        NullLogger<VoicemailEmailJob>.Instance);

    private VoicemailMailOptions MailOptions() => new()
    {
        Host = "127.0.0.1", Port = _smtp.Port, UseStartTls = true, CaCertificatePath = _smtp.CaCertificatePath, From = "voicemail@pbx.example.test",
        PortalUrl = "https://portal.example.test",
    };

    private PooledDbContextFactory<PbxDbContext> Factory() => new(DataServices.CreateOptions(_source));

    private async Task<VoicemailMessage> AddMessageAsync(bool includeAudio)
    {
        await using var owner = portal.Database.CreateOwnerContext();
        await owner.Tenants.Where(t => t.Id == _acme.Tenant.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.VoicemailEmailIncludesAudio, includeAudio));
        return await TestVoicemail.AddAsync(owner, portal.VoicemailDirectory, Portal.MasterKey, _acme.Tenant.Id, _acme.Extension.Id,
            TestVoicemail.Tone(440, 2), callerNumber: "202");
    }

    private sealed class AppConnections(string connectionString) : Hangfire.PostgreSql.IConnectionFactory
    {
        public NpgsqlConnection GetOrCreateConnection() => new(connectionString);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
