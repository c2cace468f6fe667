using System.Net;
using HostedPbx.Switch.Devices;

namespace HostedPbx.Switch.Sip.Transport;

/// <summary>What the layers above know of a connection: its flow token, address and proven device (RFC 5626 §5.2).</summary>
internal sealed record SipFlow(long ConnectionId, IPEndPoint Remote, DeviceIdentity Device, string TlsVersion, string TlsCipher);
