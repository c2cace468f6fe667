namespace HostedPbx.Data.Entities;

/// <summary>
/// The platform key that signs recording manifests (ECDSA P-256). The private key is kept encrypted under the master
/// key; the public key (SubjectPublicKeyInfo) is what a third party checks exports with.
/// </summary>
public class RecordingSigningKey
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required byte[] PublicKey { get; set; }
    public required byte[] ProtectedPrivateKey { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
