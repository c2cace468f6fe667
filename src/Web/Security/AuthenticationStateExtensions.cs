using Microsoft.AspNetCore.Components.Authorization;

namespace HostedPbx.Web.Security;

public static class AuthenticationStateExtensions
{
    /// <summary>The caller of an [Authorize] page: a signed-in principal always carries the role claims.</summary>
    public static async Task<PortalCaller> CallerAsync(this Task<AuthenticationState> state) =>
        PortalCaller.From((await state).User) ?? throw new InvalidOperationException("The page needs a signed-in portal user.");
}
