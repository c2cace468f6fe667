namespace HostedPbx.Switch.Sip.Transport.Peers;

/// <summary>A snapshot of the carriers the switch knows (loaded with the PSTN directory); swapped whole when they change.</summary>
internal sealed class PeerDirectory(IEnumerable<KnownPeer> peers)
{
    public static readonly PeerDirectory Empty = new([]);

    private readonly KnownPeer[] _peers = [.. peers];

    public IReadOnlyList<KnownPeer> Peers => _peers;

    /// <summary>The peers whose certificate name is one of <paramref name="names"/> (case-insensitive, RFC 5922 §7.2).</summary>
    public IEnumerable<KnownPeer> Named(IReadOnlyCollection<string> names) =>
        _peers.Where(p => names.Contains(p.CertificateName, StringComparer.OrdinalIgnoreCase));

    public KnownPeer? Find(PeerKind kind, Guid peerId) => _peers.FirstOrDefault(p => p.Kind == kind && p.PeerId == peerId);
}
