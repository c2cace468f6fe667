namespace HostedPbx.Switch.EndToEndTests.Support;

/// <summary>
/// A handset's switch named by a domain instead of an address: the handset finds the switch nodes through RFC 3263 DNS
/// SRV at <paramref name="DnsServer"/>, and registers for <paramref name="RegisterSeconds"/> at a time.
/// </summary>
internal sealed record SwitchDomain(string Name, string DnsServer, int RegisterSeconds);
