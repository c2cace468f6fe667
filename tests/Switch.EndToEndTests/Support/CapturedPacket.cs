namespace HostedPbx.Switch.EndToEndTests.Support;

/// <summary>One IPv4 UDP or TCP packet from a loopback capture: its ports and transport payload.</summary>
internal sealed record CapturedPacket(bool IsUdp, int SourcePort, int DestinationPort, byte[] Payload);
