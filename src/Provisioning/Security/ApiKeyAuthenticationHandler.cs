using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Security;
using HostedPbx.Data.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HostedPbx.Provisioning.Security;

/// <summary>
/// Authenticates <c>X-Api-Key</c>: found by its prefix, compared by hash in constant time, refused when revoked or
/// when its reseller is suspended. A compliance officer's personal key lives only as long as its user is a compliance
/// officer of the key's tenant, not locked out, with the tenant and its reseller active. On success the request's context gets the key's scope for row-level security.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDbContextFactory<PbxDbContext> factory,
    TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values))
        {
            return AuthenticateResult.NoResult();
        }

        if (!ApiKeySecret.TryParse(values.ToString(), out var prefix, out var hash))
        {
            return AuthenticateResult.Fail("malformed key");
        }

        await using var db = await factory.CreateDbContextAsync(Context.RequestAborted);
        db.UseScope(DbScope.System);
        var key = await db.ApiKeys.Include(k => k.Reseller).Include(k => k.User).SingleOrDefaultAsync(k => k.Prefix == prefix, Context.RequestAborted);
        var now = time.GetUtcNow();
        if (key is null || !CryptographicOperations.FixedTimeEquals(key.SecretHash, hash) || !key.IsActive
            || key.Reseller is { Status: not ResellerStatus.Active }
            || (key.UserId is not null && !await OfficerStandsAsync(db, key, now, Context.RequestAborted)))
        {
            return AuthenticateResult.Fail("unknown, revoked or suspended key");
        }

        if (key.LastUsedAt is null || now - key.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            key.LastUsedAt = now;
            await db.SaveChangesAsync(Context.RequestAborted);
        }

        List<Claim> claims = [new(ClaimTypes.Name, key.Name), new(ApiCaller.KeyIdClaim, key.Id.ToString())];
        if (key is { UserId: { } userId, TenantId: { } tenantId, User: { } user })
        {
            claims.Add(new Claim(ApiCaller.UserClaim, userId.ToString()));
            claims.Add(new Claim(ApiCaller.UserNameClaim, user.UserName ?? user.DisplayName));
            claims.Add(new Claim(ApiCaller.TenantClaim, tenantId.ToString()));
        }
        else
        {
            claims.Add(key.ResellerId is { } reseller
                ? new Claim(ApiCaller.ResellerClaim, reseller.ToString())
                : new Claim(ClaimTypes.Role, ApiCaller.OperatorRole));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        Context.User = principal;
        Context.RequestServices.GetRequiredService<PbxDbContext>().UseScope(ApiCaller.From(Context).Scope);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    // The key dies with its user's role or account: still a compliance officer of the key's tenant, not locked out, tenant and reseller active.
    private static async Task<bool> OfficerStandsAsync(PbxDbContext db, ApiKey key, DateTimeOffset now, CancellationToken ct)
    {
        if (key.User is not { Role: PortalRole.ComplianceOfficer } user || user.TenantId != key.TenantId || user.LockoutEnd > now)
        {
            return false;
        }

        var standing = await db.Tenants.AsNoTracking().Where(t => t.Id == key.TenantId)
            .Select(t => new { Tenant = t.Status, Reseller = t.Reseller!.Status }).SingleOrDefaultAsync(ct);
        return standing is { Tenant: TenantStatus.Active, Reseller: ResellerStatus.Active };
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        await Results.Problem(statusCode: 401, title: "Unauthorized",
            detail: $"Send a valid, unrevoked API key in the {HeaderName} header.").ExecuteAsync(Context);
    }
}
