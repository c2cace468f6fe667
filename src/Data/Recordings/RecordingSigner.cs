using System.Security.Cryptography;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Recordings;

/// <summary>
/// The platform's manifest signing key (ECDSA P-256 from the BCL). Made once, on first use, and kept in the database with
/// its private key encrypted under the master key; signatures are DER (RFC 3279), so
/// <c>openssl dgst -sha256 -verify key.pem -signature manifest.sig manifest.json</c> checks them.
/// </summary>
public sealed class RecordingSigner : IDisposable
{
    private readonly ECDsa _key;

    private RecordingSigner(Guid keyId, ECDsa key, byte[] publicKey)
    {
        KeyId = keyId;
        _key = key;
        PublicKey = publicKey;
    }

    public Guid KeyId { get; }

    /// <summary>SubjectPublicKeyInfo, DER.</summary>
    public byte[] PublicKey { get; }

    public static string Purpose(Guid keyId) => $"recording-signing-key:{keyId:D}";

    /// <summary>The newest signing key, or a new one when there is none yet.</summary>
    public static async Task<RecordingSigner> LoadOrCreateAsync(PbxDbContext db, KeyProtector protector, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(protector);
        ArgumentNullException.ThrowIfNull(time);
        var stored = await db.RecordingSigningKeys.AsNoTracking().OrderByDescending(k => k.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        if (stored is null)
        {
            using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var privateKey = fresh.ExportPkcs8PrivateKey();
            try
            {
                stored = new RecordingSigningKey { PublicKey = fresh.ExportSubjectPublicKeyInfo(), ProtectedPrivateKey = [], CreatedAt = time.GetUtcNow() };
                stored.ProtectedPrivateKey = protector.Protect(privateKey, Purpose(stored.Id));
            }
            finally
            {
                CryptographicOperations.ZeroMemory(privateKey);
            }

            db.RecordingSigningKeys.Add(stored);
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        return Open(stored, protector);
    }

    public static RecordingSigner Open(RecordingSigningKey stored, KeyProtector protector)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(protector);
        var privateKey = protector.Unprotect(stored.ProtectedPrivateKey, Purpose(stored.Id));
        try
        {
            var key = ECDsa.Create();
            key.ImportPkcs8PrivateKey(privateKey, out _);
            return new RecordingSigner(stored.Id, key, stored.PublicKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(privateKey);
        }
    }

    public byte[] Sign(ReadOnlySpan<byte> manifest) =>
        _key.SignData(manifest, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    /// <summary>Checks a signature with only the public key, as a third party would.</summary>
    public static bool Verify(byte[] publicKey, ReadOnlySpan<byte> manifest, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        using var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(publicKey, out _);
            return key.VerifyData(manifest, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The public key as PEM (what an export ships for <c>openssl</c>).</summary>
    public static string PublicKeyPem(byte[] publicKey) => PemEncoding.WriteString("PUBLIC KEY", publicKey);

    public void Dispose() => _key.Dispose();
}
