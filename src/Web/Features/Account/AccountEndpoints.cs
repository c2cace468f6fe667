using Microsoft.AspNetCore.Identity;
using HostedPbx.Data.Entities;

namespace HostedPbx.Web.Features.Account;

public static class AccountEndpoints
{
    /// <summary>Sign-out is a plain form post: a circuit cannot clear a cookie.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/sign-out", async (SignInManager<PortalUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/account/sign-in");
        });
        return app;
    }
}
