using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HostedPbx.Data.Entities;
using Microsoft.AspNetCore.Identity;

namespace HostedPbx.Web.Security;

/// <summary>
/// The authenticator-app provider, with each code good once: the time step of the last code accepted is kept with the
/// user, and only a later step is accepted after it (RFC 6238 §5.2: "the verifier MUST NOT accept the second attempt
/// of the OTP after the successful validation has been issued for the first OTP"). One step of clock drift either way.
/// </summary>
internal sealed class SingleUseTotpProvider(TimeProvider time) : IUserTwoFactorTokenProvider<PortalUser>
{
    private const string LoginProvider = "[HostedPbx]";
    private const string LastStepName = "TotpLastStep";

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<PortalUser> manager, PortalUser user) =>
        !string.IsNullOrWhiteSpace(await manager.GetAuthenticatorKeyAsync(user));

    // The app computes the codes; the server never sends one.
    public Task<string> GenerateAsync(string purpose, UserManager<PortalUser> manager, PortalUser user) => Task.FromResult(string.Empty);

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<PortalUser> manager, PortalUser user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        var key = await manager.GetAuthenticatorKeyAsync(user) is { } text ? TotpCode.FromBase32(text) : null;
        if (key is null || token is not { Length: 6 } || !token.All(char.IsAsciiDigit))
        {
            return false;
        }

        var last = long.TryParse(await manager.GetAuthenticationTokenAsync(user, LoginProvider, LastStepName), CultureInfo.InvariantCulture, out var step)
            ? step : long.MinValue;
        var now = TotpCode.StepAt(time.GetUtcNow());
        for (var candidate = Math.Max(now - 1, last + 1); candidate <= now + 1; candidate++)
        {
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(TotpCode.At(key, candidate)), Encoding.ASCII.GetBytes(token)))
            {
                // Saved with the user's concurrency stamp: of two sign-ins racing with one code, one fails here.
                var saved = await manager.SetAuthenticationTokenAsync(user, LoginProvider, LastStepName, candidate.ToString(CultureInfo.InvariantCulture));
                return saved.Succeeded;
            }
        }

        return false;
    }
}
