using HostedPbx.Data.Entities;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;

namespace HostedPbx.Web.Features.Account;

public static class AccountEndpoints
{
    /// <summary>Sign-out is a plain form post: a circuit cannot clear a cookie.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // The form carries an antiforgery token (MainLayout); a post without it, from another site, signs nobody out.
        app.MapPost("/account/sign-out", async Task<IResult> (HttpContext http, IAntiforgery antiforgery, SignInManager<PortalUser> signIn) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return TypedResults.BadRequest("The sign-out form has expired: reload the page and sign out again.");
            }

            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/account/sign-in");
        });
        return app;
    }
}
