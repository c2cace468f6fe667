namespace HostedPbx.Switch.Media.Relay;

/// <summary>
/// Sees the plain audio of a relayed call (the seam recording builds on). Called on the relay thread after a packet
/// from side A (<c>fromA</c> true) or side B authenticated and was decrypted, before it is re-encrypted:
/// an implementation may only copy into a pre-allocated ring, never block or allocate.
/// </summary>
internal interface IMediaTap
{
    void OnAudio(bool fromA, ReadOnlySpan<byte> plainRtp);
}
