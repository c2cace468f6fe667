namespace HostedPbx.Data.Certificates;

/// <summary>The master key that encrypts private keys at rest (section "Keys"): inline base64, or a file holding it.</summary>
public sealed class KeyOptions
{
    public const string SectionName = "Keys";

    /// <summary>32 random bytes, base64. Prefer <see cref="MasterKeyFile"/> so the key stays out of the environment.</summary>
    public string? MasterKey { get; set; }

    /// <summary>A file (mode 600) holding the base64 master key.</summary>
    public string? MasterKeyFile { get; set; }

    /// <summary>
    /// Master keys being rotated out (base64, Keys:RetiredKeys:0, :1…): what they encrypted still opens while the current
    /// key protects everything new (docs/operations.md, "Rotating the master key").
    /// </summary>
    public string[] RetiredKeys { get; set; } = [];

    /// <summary>Reads the key; one sentence naming the setting when it is missing or malformed.</summary>
    public KeyProtector CreateProtector()
    {
        var text = MasterKey;
        if (string.IsNullOrWhiteSpace(text) && !string.IsNullOrWhiteSpace(MasterKeyFile))
        {
            if (!File.Exists(MasterKeyFile))
            {
                throw new Hosting.StartupCheckException($"Keys:MasterKeyFile '{MasterKeyFile}' does not exist: create it (./pbx run does) or fix the path.");
            }

            text = File.ReadAllText(MasterKeyFile).Trim();
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw new Hosting.StartupCheckException("Keys:MasterKey or Keys:MasterKeyFile is missing: give the base64 master key that encrypts private keys at rest.");
        }

        foreach (var retired in RetiredKeys)
        {
            if (!IsKey(retired))
            {
                throw new Hosting.StartupCheckException("A key in Keys:RetiredKeys is not 32 bytes of base64.");
            }
        }

        try
        {
            return KeyProtector.FromBase64(text, RetiredKeys);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new Hosting.StartupCheckException("The master key (Keys:MasterKey or Keys:MasterKeyFile) is not 32 bytes of base64.", e);
        }
    }

    private static bool IsKey(string base64)
    {
        Span<byte> key = stackalloc byte[48];
        return Convert.TryFromBase64String(base64.Trim(), key, out var length) && length == 32;
    }
}
