using System.Globalization;
using System.Security.Claims;
using HostedPbx.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace HostedPbx.Web.Security;

/// <summary>Adds the role (its <see cref="PortalRole"/> name, which Hangfire's dashboard filter reads) and the user's reseller or tenant.</summary>
internal sealed class PortalClaimsFactory(UserManager<PortalUser> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<PortalUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(PortalUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(ClaimTypes.Role, user.Role.ToString()));
        identity.AddClaim(new Claim(ClaimTypes.GivenName, user.DisplayName));
        if (user.ResellerId is { } reseller)
        {
            identity.AddClaim(new Claim(PortalCaller.ResellerClaim, reseller.ToString("D", CultureInfo.InvariantCulture)));
        }

        if (user.TenantId is { } tenant)
        {
            identity.AddClaim(new Claim(PortalCaller.TenantClaim, tenant.ToString("D", CultureInfo.InvariantCulture)));
        }

        return identity;
    }
}
