namespace HostedPbx.Switch.Calls.Nodes;

/// <summary>
/// What makes a <see cref="HandsetLeg"/> a node leg (issue 14): its connection is to another switch node, and the call is
/// for <paramref name="TenantId"/>'s extensions, asserted by the sending node and checked by the receiving one.
/// </summary>
/// <param name="NodeName">The other node's name, as its certificate proved it (or as the node table names it, outbound).</param>
/// <param name="TenantId">The tenant whose extensions the call is between.</param>
internal sealed record NodeHop(string NodeName, Guid TenantId);
