using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Voicemail;
using HostedPbx.Data.Observability;
using HostedPbx.Web.Diagnostics;
using HostedPbx.Web.Features.Account;
using HostedPbx.Web.Jobs;
using HostedPbx.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Web;

public static class WebServices
{
    public static IHostApplicationBuilder AddWebServices(this IHostApplicationBuilder builder)
    {
        builder.AddPbxData();
        builder.AddPbxTelemetry<WebMetrics>("hostedpbx-web", WebMetrics.Name);
        builder.AddPlatformAuthority();
        builder.AddVoicemailAudio();
        builder.AddPbxJobs();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DownloadLinks>();
        builder.Services.AddSingleton<SignInAudit>();
        builder.Services.AddOptions<PortalOptions>().BindConfiguration(PortalOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, PortalSessionRevalidation>();
        builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        builder.Services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = "/account/sign-in";
            cookie.LogoutPath = "/account/sign-out";
            // A page above the caller's role is "not found", as another tenant's id is.
            cookie.AccessDeniedPath = "/not-found";
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
            cookie.Cookie.Name = "hostedpbx.portal";
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            // Signing in on the sign-in page makes the cookie handler redirect to its ?returnUrl= itself: the same local,
            // printable address as everywhere else (a bidirectional-control character made the Location header throw).
            // A request outside a circuit meets the same checks as an open circuit (PortalSessionRevalidation).
            cookie.Events.OnValidatePrincipal = async context =>
            {
                await SecurityStampValidator.ValidatePrincipalAsync(context);
                if (context.Principal is { } principal && PortalCaller.From(principal) is { } caller
                    && await PortalAccountStanding.ProblemAsync(context.HttpContext.RequestServices.GetRequiredService<IDbContextFactory<PbxDbContext>>(),
                        caller.UserId, TimeProvider.System.GetUtcNow(), context.HttpContext.RequestAborted) is not null)
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                }
            };
            cookie.Events.OnRedirectToReturnUrl = context =>
            {
                context.Response.Redirect(TwoFactorPolicy.SafeReturnUrl(context.RedirectUri));
                return Task.CompletedTask;
            };
        });
        builder.Services.AddAuthorization();
        builder.Services.AddOptions<SecurityStampValidatorOptions>().Configure<Microsoft.Extensions.Options.IOptions<PortalOptions>>(
            (stamps, portal) => stamps.ValidationInterval = TimeSpan.FromSeconds(portal.Value.SessionRevalidationSeconds));
        builder.Services.AddScoped<IUserStore<PortalUser>, PortalUserStore>();
        builder.Services.AddIdentityCore<PortalUser>(identity =>
            {
                identity.Lockout.MaxFailedAccessAttempts = 5;
                identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                identity.Lockout.AllowedForNewUsers = true;
                identity.Password.RequiredLength = 12;
                identity.User.RequireUniqueEmail = false;
            })
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddTokenProvider<SingleUseTotpProvider>(TokenOptions.DefaultAuthenticatorProvider)
            .AddClaimsPrincipalFactory<PortalClaimsFactory>();
        return builder;
    }
}
