using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using HostedPbx.Data.Entities;

namespace HostedPbx.Switch.Sip.Transport.Resolution;

/// <summary>
/// Locates a carrier's SIP server per RFC 3263 §4: an IP literal as is; a name by NAPTR (the transport's service), then
/// SRV (priority, then weight, RFC 2782), then the A/AAAA records of each target. A name with no SRV records is reached
/// at its own A/AAAA records on the configured port. <paramref name="dns"/> asks the configured name server; without one
/// (<paramref name="addresses"/> null), the system's resolver answers A/AAAA so /etc/hosts still counts.
/// </summary>
internal sealed class SipServerLocator(IDnsQuery dns, Func<string, CancellationToken, Task<IPAddress[]>>? addresses = null, Random? random = null)
{
    /// <summary>A locator asking <paramref name="nameServer"/> ("address" or "address:port"), or the system's name servers when empty.</summary>
    public static SipServerLocator Create(string? nameServer)
    {
        if (string.IsNullOrWhiteSpace(nameServer))
        {
            return new SipServerLocator(new LookupClient(new LookupClientOptions { ContinueOnDnsError = false, ThrowDnsErrors = false }), Dns.GetHostAddressesAsync);
        }

        var server = IPEndPoint.TryParse(nameServer, out var endpoint) ? endpoint : throw new ArgumentException($"'{nameServer}' is not an address[:port].", nameof(nameServer));
        if (server.Port == 0)
        {
            server.Port = 53;
        }

        // An answer that a name does not exist (or has no such record) is an answer, not a reason to ask elsewhere.
        return new SipServerLocator(new LookupClient(new LookupClientOptions(server) { UseCache = true, Timeout = TimeSpan.FromSeconds(3), Retries = 1, ContinueOnDnsError = false, ThrowDnsErrors = false }));
    }

    public async Task<ServerLocation> LocateAsync(string host, int port, TrunkTransport transport, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        // RFC 3263 §4.2: a numeric IP address is used as is, at the given port.
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return new ServerLocation([new IPEndPoint(literal, port)], null);
        }

        try
        {
            var services = await ServicesAsync(host, transport, cancellationToken);
            List<IPEndPoint> targets = [];
            if (services.Count == 0)
            {
                // RFC 3263 §4.2: no SRV records, so the name's own A/AAAA records (at the configured port).
                targets.AddRange((await AddressesAsync(host, cancellationToken)).Select(a => new IPEndPoint(a, port)));
            }

            foreach (var service in services)
            {
                // RFC 3263 §4.4 / RFC 2782: each SRV target's addresses, tried in the SRV order.
                targets.AddRange((await AddressesAsync(service.Target, cancellationToken)).Select(a => new IPEndPoint(a, service.Port)));
            }

            return targets.Count > 0 ? new ServerLocation(targets, null) : new ServerLocation([], $"host '{host}' does not resolve");
        }
        catch (DnsResponseException ex)
        {
            return new ServerLocation([], $"host '{host}' does not resolve: {ex.Code}");
        }
        catch (SocketException ex)
        {
            return new ServerLocation([], $"host '{host}' does not resolve: {ex.SocketErrorCode}");
        }
    }

    /// <summary>The SRV targets for <paramref name="host"/> and <paramref name="transport"/>, in the order to try them.</summary>
    private async Task<IReadOnlyList<(string Target, int Port)>> ServicesAsync(string host, TrunkTransport transport, CancellationToken cancellationToken)
    {
        var (service, prefix) = transport switch
        {
            TrunkTransport.Tls => ("SIPS+D2T", "_sips._tcp."),
            TrunkTransport.Tcp => ("SIP+D2T", "_sip._tcp."),
            TrunkTransport.Udp => ("SIP+D2U", "_sip._udp."),
            _ => throw new ArgumentOutOfRangeException(nameof(transport)),
        };

        // RFC 3263 §4.1: the NAPTR records of the domain, lowest order then preference first; the transport is the
        // trunk's own (§4.1: a transport given is used), so only records for its service and with the "s" flag count.
        var naptr = await dns.QueryAsync(host, QueryType.NAPTR, QueryClass.IN, cancellationToken);
        var srvName = naptr.Answers.OfType<NAPtrRecord>()
            .Where(r => string.Equals(r.Services, service, StringComparison.OrdinalIgnoreCase) && string.Equals(r.Flags, "s", StringComparison.OrdinalIgnoreCase))
            .OrderBy(r => r.Order).ThenBy(r => r.Preference)
            .Select(r => r.Replacement.Value.TrimEnd('.'))
            .FirstOrDefault()
            // RFC 3263 §4.1: no NAPTR records: the SRV name of the transport.
            ?? prefix + host.TrimEnd('.');

        var srv = await dns.QueryAsync(srvName, QueryType.SRV, QueryClass.IN, cancellationToken);
        var rng = random ?? Random.Shared;
        // RFC 2782: lowest priority first; within one priority, a weighted random order.
        return [.. srv.Answers.OfType<SrvRecord>()
            .Where(r => r.Target.Value != ".")
            .GroupBy(r => r.Priority)
            .OrderBy(g => g.Key)
            .SelectMany(g => WeightedOrder([.. g], rng))
            .Select(r => (r.Target.Value.TrimEnd('.'), (int)r.Port))];
    }

    private static IEnumerable<SrvRecord> WeightedOrder(List<SrvRecord> records, Random rng)
    {
        while (records.Count > 0)
        {
            // RFC 2782: a running sum of weights; the first record whose sum reaches a random number in [0, total] goes next.
            var total = records.Sum(r => r.Weight);
            var pick = rng.Next(total + 1);
            var sum = 0;
            var chosen = records[^1];
            foreach (var record in records.OrderBy(r => r.Weight))
            {
                sum += record.Weight;
                if (sum >= pick)
                {
                    chosen = record;
                    break;
                }
            }

            records.Remove(chosen);
            yield return chosen;
        }
    }

    private async Task<IReadOnlyList<IPAddress>> AddressesAsync(string name, CancellationToken cancellationToken)
    {
        if (addresses is not null)
        {
            try
            {
                return await addresses(name, cancellationToken);
            }
            catch (SocketException)
            {
                return [];
            }
        }

        var a = await dns.QueryAsync(name, QueryType.A, QueryClass.IN, cancellationToken);
        var aaaa = await dns.QueryAsync(name, QueryType.AAAA, QueryClass.IN, cancellationToken);
        return [.. a.Answers.OfType<ARecord>().Select(r => r.Address), .. aaaa.Answers.OfType<AaaaRecord>().Select(r => r.Address)];
    }
}
