namespace HostedPbx.Switch.Nodes;

/// <summary>A node the others took for dead, and how many of its registrations went with it.</summary>
internal sealed record ExpiredNode(string Name, string SipAddress, int Registrations);
