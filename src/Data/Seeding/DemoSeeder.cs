using System.Security.Cryptography;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Seeding;

/// <summary>
/// Seeds the demo into an empty database, in one transaction: an operator, a reseller with an admin and an API key,
/// and tenant "Acme" with extensions 201 and 202 and one handset for each. A database that has any reseller is left
/// as it is, so a second run keeps the data and seeds nothing.
/// </summary>
public static class DemoSeeder
{
    public const string TenantName = "Acme";
    public static readonly (string Number, string Name, string Mac)[] Handsets =
    [
        ("201", "Alice Example", "0200000c0201"),
        ("202", "Bob Example", "0200000c0202"),
    ];

    /// <summary>Returns the new credentials, or null when the database already held data.</summary>
    public static Task<DemoCredentials?> SeedAsync(PbxDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
        // Its own transaction, so run whole by the retrying strategy (a failover mid-way starts it over).
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            return await SeedOnceAsync(db, time, cancellationToken);
        });

    private static async Task<DemoCredentials?> SeedOnceAsync(PbxDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
        if (await db.Resellers.AnyAsync(cancellationToken))
        {
            return null;
        }

        var now = time.GetUtcNow();
        var key = ApiKeySecret.Create();
        var credentials = new DemoCredentials("operator@demo.hostedpbx.test", NewPassword(), "reseller@demo.hostedpbx.test",
            NewPassword(), key.Plaintext);

        var reseller = new Reseller { Name = "Demo Reseller", CreatedAt = now };
        reseller.ApiKeys.Add(new ApiKey { Name = "demo", Prefix = key.Prefix, SecretHash = key.Hash, CreatedAt = now });
        db.Resellers.Add(reseller);
        db.Users.Add(NewUser(credentials.OperatorLogin, "Platform Operator", PortalRole.Operator, credentials.OperatorPassword, now));
        var resellerAdmin = NewUser(credentials.ResellerLogin, "Demo Reseller Admin", PortalRole.ResellerAdmin, credentials.ResellerPassword, now);
        resellerAdmin.ResellerId = reseller.Id;
        db.Users.Add(resellerAdmin);

        var tenant = new Tenant { Name = TenantName, ResellerId = reseller.Id, CreatedAt = now, TimeZone = "Europe/Berlin" };
        db.Tenants.Add(tenant);
        db.RetentionSettings.Add(new RetentionSettings { TenantId = tenant.Id });
        db.RecordingPolicies.Add(new RecordingPolicy { TenantId = tenant.Id, Name = "Never", Mode = RecordingMode.Never, CreatedAt = now });
        foreach (var (number, name, mac) in Handsets)
        {
            var extension = new Extension { TenantId = tenant.Id, Number = number, DisplayName = name, CreatedAt = now };
            var device = new Device { TenantId = tenant.Id, Mac = mac, Vendor = DeviceVendor.Baresip, Model = "baresip", CreatedAt = now };
            device.Lines.Add(new DeviceLine { TenantId = tenant.Id, Position = 1, ExtensionId = extension.Id });
            db.Extensions.Add(extension);
            db.Devices.Add(device);
        }

        db.AuditEvents.Add(new AuditEvent
        {
            OccurredAt = now, ActorKind = AuditActorKind.System, ActorName = "demo seed", Action = "demo.seed",
            Outcome = AuditOutcome.Success, ResellerId = reseller.Id, TenantId = tenant.Id,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return credentials;
    }

    private static PortalUser NewUser(string login, string displayName, PortalRole role, string password, DateTimeOffset now)
    {
        var user = new PortalUser
        {
            Id = Guid.CreateVersion7(), UserName = login, NormalizedUserName = login.ToUpperInvariant(), Email = login,
            NormalizedEmail = login.ToUpperInvariant(), EmailConfirmed = true, DisplayName = displayName, Role = role,
            CreatedAt = now, SecurityStamp = Guid.NewGuid().ToString("N"), ConcurrencyStamp = Guid.NewGuid().ToString(),
            LockoutEnabled = true,
        };
        user.PasswordHash = new PasswordHasher<PortalUser>().HashPassword(user, password);
        return user;
    }

    private static string NewPassword() =>
        RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 16);
}
