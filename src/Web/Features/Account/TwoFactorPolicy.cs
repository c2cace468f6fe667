using System.Security.Claims;
using HostedPbx.Data.Entities;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace HostedPbx.Web.Features.Account;

/// <summary>Who must give a second factor, and the half-signed-in state between password and code.</summary>
internal static class TwoFactorPolicy
{
    public const string Issuer = "HostedPbx";

    /// <summary>Operators and compliance officers see every tenant's data or its recordings: TOTP is required.</summary>
    public static bool IsRequired(PortalRole role) => role is PortalRole.Operator or PortalRole.ComplianceOfficer;

    /// <summary>
    /// Remembers that the password was right, as Identity's own two-factor sign-in does (a claim with the user id in
    /// the two-factor cookie), so that <see cref="SignInManager{TUser}.GetTwoFactorAuthenticationUserAsync"/> finds the user.
    /// </summary>
    public static Task RememberPasswordCheckedAsync(HttpContext http, PortalUser user)
    {
        var identity = new ClaimsIdentity(IdentityConstants.TwoFactorUserIdScheme);
        identity.AddClaim(new Claim(ClaimTypes.Name, user.Id.ToString()));
        return http.SignInAsync(IdentityConstants.TwoFactorUserIdScheme, new ClaimsPrincipal(identity));
    }

    public static string OtpAuthUri(string login, string key) =>
        $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(login)}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6&period=30";

    /// <summary>
    /// A local path to go back to, or "/". Only printable ASCII: a control or bidirectional-override character would
    /// not fit in the redirect's Location header (and could disguise where it leads).
    /// </summary>
    public static string SafeReturnUrl(string? url) =>
        url is { Length: > 0 } && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            && url.All(c => c is > ' ' and < '\x7f')
            ? url : "/";
}
