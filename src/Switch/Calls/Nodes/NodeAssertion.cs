using System.Text;
using HostedPbx.Switch.Devices;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Sip.Transport;

namespace HostedPbx.Switch.Calls.Nodes;

/// <summary>
/// Who a call between our switch nodes is from: the sending node asserts the caller (RFC 3325 §9.1 P-Asserted-Identity)
/// and the tenant (<see cref="TenantHeader"/>, ours). Our nodes are one trust domain (RFC 3325 §2.3): the receiving node
/// believes the assertion only because the connection proved to be a node (<c>NodeRecognizer</c>), checks that the tenant
/// and the caller's extension exist, and refuses these headers from anyone else.
/// </summary>
internal static class NodeAssertion
{
    public const string TenantHeader = "X-HostedPbx-Tenant";

    public const string IdentityHeader = "P-Asserted-Identity";

    /// <summary>The headers the sending node adds to its INVITE.</summary>
    public static IEnumerable<(string Name, string Value)> Headers(string callerParty, string sentBy, Guid tenantId) =>
    [
        (IdentityHeader, $"<sip:{callerParty}@{sentBy}>"),
        (TenantHeader, tenantId.ToString("D")),
    ];

    /// <summary>True when a request carries the node-only tenant header (a handset that sends it is refused).</summary>
    public static bool IsPresent(SipRequest request) => request.TryGetHeader(Encoding.ASCII.GetBytes(TenantHeader), out _);

    /// <summary>
    /// The hop of an INVITE from a node's connection, when its assertion names a tenant and a caller extension this node
    /// knows; otherwise the refusal, for the audit only.
    /// </summary>
    public static NodeHop? Read(SipConnection connection, SipRequest invite, DeviceDirectory directory, out string callerParty, out string? refusal)
    {
        callerParty = "";
        var node = connection.Peer!.Current.Name;
        if (!invite.TryGetHeader(Encoding.ASCII.GetBytes(TenantHeader), out var tenantText) || !Guid.TryParse(Encoding.ASCII.GetString(tenantText), out var tenantId))
        {
            refusal = $"INVITE from switch node {node} without a {TenantHeader} naming a tenant";
            return null;
        }

        if (!invite.TryGetHeader(Encoding.ASCII.GetBytes(IdentityHeader), out var asserted)
            || !NameAddress.TryParse(asserted, out var identity) || !SipUri.TryParse(identity.Uri, out var uri) || !uri.HasUser)
        {
            refusal = $"INVITE from switch node {node} without a {IdentityHeader} naming the caller";
            return null;
        }

        callerParty = Encoding.UTF8.GetString(uri.User);
        if (!directory.TryFindExtension(tenantId, callerParty, out _))
        {
            refusal = $"switch node {node} asserted caller '{PeerText.Bound(callerParty)}', which is no extension of tenant {tenantId}";
            return null;
        }

        refusal = null;
        return new NodeHop(node, tenantId);
    }
}
