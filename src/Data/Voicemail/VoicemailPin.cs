using System.Security.Cryptography;

namespace HostedPbx.Data.Voicemail;

/// <summary>
/// The one rule for voicemail PINs, used wherever a PIN is set (portal, API, the phone's menu) or checked (the phone):
/// 4 to 12 digits, not all one digit, not a plain run such as 1234; stored only as a salted PBKDF2-SHA256 hash.
/// </summary>
public static class VoicemailPin
{
    public const int MinLength = 4;
    public const int MaxLength = 12;
    private const int Iterations = 100_000;
    private const int SaltLength = 16;
    private const int HashLength = 32;
    private const string Scheme = "pbkdf2-sha256";

    /// <summary>Null when <paramref name="pin"/> may be used; otherwise the reason in words a user can act on.</summary>
    public static string? Problem(string? pin)
    {
        if (string.IsNullOrEmpty(pin) || pin.Length < MinLength || pin.Length > MaxLength || !pin.All(char.IsAsciiDigit))
        {
            return $"The PIN must be {MinLength} to {MaxLength} digits.";
        }

        if (pin.All(c => c == pin[0]))
        {
            return "The PIN must not be one digit repeated.";
        }

        var ascending = true;
        var descending = true;
        for (var i = 1; i < pin.Length; i++)
        {
            ascending &= pin[i] == pin[i - 1] + 1;
            descending &= pin[i] == pin[i - 1] - 1;
        }

        return ascending || descending ? "The PIN must not be a run of digits such as 1234." : null;
    }

    /// <summary>The stored form: scheme, iterations, salt and hash.</summary>
    /// <exception cref="ArgumentException">The PIN breaks the rule (see <see cref="Problem"/>).</exception>
    public static string Hash(string pin)
    {
        if (Problem(pin) is { } problem)
        {
            throw new ArgumentException(problem, nameof(pin));
        }

        var salt = RandomNumberGenerator.GetBytes(SaltLength);
        var hash = Rfc2898DeriveBytes.Pbkdf2(pin, salt, Iterations, HashAlgorithmName.SHA256, HashLength);
        return $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>True when <paramref name="pin"/> matches <paramref name="stored"/>; compared in constant time.</summary>
    public static bool Verify(string pin, string? stored)
    {
        var parts = stored?.Split('$');
        if (parts is not [Scheme, var iterationsText, var saltText, var hashText]
            || !int.TryParse(iterationsText, out var iterations) || iterations is < 1 or > 10_000_000)
        {
            return false;
        }

        try
        {
            var salt = Convert.FromBase64String(saltText);
            var expected = Convert.FromBase64String(hashText);
            var actual = Rfc2898DeriveBytes.Pbkdf2(pin, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
