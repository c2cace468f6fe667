namespace HostedPbx.Switch.Sip.Registrar;

/// <summary>
/// Registration intervals in seconds (RFC 3261 §10.2.1.1 default 3600; §10.3 step 7 minimum via 423), and how many
/// contacts one extension may have bound at once.
/// </summary>
internal sealed record RegistrarLimits(int MinExpires = 60, int MaxExpires = 3600, int DefaultExpires = 3600, int MaxBindingsPerExtension = 20);
