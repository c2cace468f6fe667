using System.Security.Claims;
using HostedPbx.Data;
using HostedPbx.Data.Tenancy;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HostedPbx.Web.Security;

/// <summary>
/// Every open circuit's user is checked again each <see cref="PortalOptions.SessionRevalidationSeconds"/>: the same
/// security stamp (a new password or a reset second factor ends other sessions), the same role, reseller and tenant, no
/// lockout, and an active reseller and tenant. When anything changed the circuit's user becomes anonymous, and the
/// page sends them to sign in.
/// </summary>
internal sealed class PortalSessionRevalidation(
    ILoggerFactory loggers, IDbContextFactory<PbxDbContext> factory, IOptions<IdentityOptions> identity, IOptions<PortalOptions> options,
    TimeProvider time) : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(options.Value.SessionRevalidationSeconds);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var principal = authenticationState.User;
        if (PortalCaller.From(principal) is not { } caller)
        {
            return false;
        }

        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            db.UseScope(DbScope.System);
            var user = await db.Users.AsNoTracking().Where(u => u.Id == caller.UserId)
                .Select(u => new { u.SecurityStamp, u.Role, u.ResellerId, u.TenantId }).SingleOrDefaultAsync(cancellationToken);
            if (user is null || user.SecurityStamp != principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType)
                || user.Role != caller.Role || user.ResellerId != caller.ResellerId || user.TenantId != caller.TenantId)
            {
                return false;
            }
        }

        return await PortalAccountStanding.ProblemAsync(factory, caller.UserId, time.GetUtcNow(), cancellationToken) is null;
    }
}
