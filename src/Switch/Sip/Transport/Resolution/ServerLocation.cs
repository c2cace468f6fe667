using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace HostedPbx.Switch.Sip.Transport.Resolution;

/// <summary>The addresses to try for a host, in the order RFC 3263 gives them, or why there are none.</summary>
internal sealed record ServerLocation(IReadOnlyList<IPEndPoint> Targets, string? Failure)
{
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Found => Targets.Count > 0;
}
