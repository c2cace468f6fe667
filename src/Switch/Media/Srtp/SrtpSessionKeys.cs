namespace HostedPbx.Switch.Media.Srtp;

/// <summary>The session keys of one direction of SRTP or SRTCP, derived from the master key (RFC 3711 §4.3).</summary>
internal sealed record SrtpSessionKeys(byte[] EncryptionKey, byte[] Salt, byte[] AuthKey);
