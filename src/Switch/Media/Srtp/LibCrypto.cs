using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace HostedPbx.Switch.Media.Srtp;

/// <summary>
/// The few OpenSSL (libcrypto 3) calls SRTP's per-packet crypto makes directly (issue 13 item 2), where the BCL's
/// wrappers cost more than the work: its HMAC copies and frees a digest context per packet, clears OpenSSL's error
/// queue around every call, and its AES-GCM has no decryption that reports a bad tag without throwing. The same library
/// the BCL loads, with a cipher context kept per key and the key's HMAC pads hashed once. Arguments are blittable
/// (byrefs pinned for the call, pointers into pinned arrays), so no call marshals or allocates. Where the library is not
/// there, <see cref="IsAvailable"/> is false and the SRTP primitives use the BCL instead.
/// </summary>
internal static class LibCrypto
{
    private const string Library = "libcrypto.so.3";

    /// <summary><c>sizeof(SHA_CTX)</c>: five chaining words, two length words, a 16-word block, a count (all 32-bit).</summary>
    public const int Sha1StateSize = 96;

    public const int Sha1BlockSize = 64;

    private const int GcmGetTag = 0x10;
    private const int GcmSetTag = 0x11;

    /// <summary>True when libcrypto 3 loads and exports what the SRTP primitives call.</summary>
    public static readonly bool IsAvailable = Probe();

    [DllImport(Library, EntryPoint = "EVP_CIPHER_CTX_new")]
    public static extern CipherContext NewCipherContext();

    [DllImport(Library, EntryPoint = "EVP_CIPHER_CTX_free")]
    private static extern void FreeCipherContext(nint context);

    [DllImport(Library, EntryPoint = "EVP_aes_128_ctr")]
    public static extern nint Aes128Ctr();

    [DllImport(Library, EntryPoint = "EVP_aes_256_ctr")]
    public static extern nint Aes256Ctr();

    [DllImport(Library, EntryPoint = "EVP_aes_128_gcm")]
    public static extern nint Aes128Gcm();

    [DllImport(Library, EntryPoint = "EVP_aes_256_gcm")]
    public static extern nint Aes256Gcm();

    /// <summary><c>EVP_CipherInit_ex</c> with a cipher and key (<paramref name="encrypt"/> 1) once per context.</summary>
    [DllImport(Library, EntryPoint = "EVP_CipherInit_ex")]
    public static extern int InitCipher(CipherContext context, nint cipher, nint engine, in byte key, nint iv, int encrypt);

    /// <summary><c>EVP_CipherInit_ex</c> keeping cipher and key, with a new IV (-1: the direction stays).</summary>
    [DllImport(Library, EntryPoint = "EVP_CipherInit_ex")]
    public static extern int SetIv(CipherContext context, nint cipher, nint engine, nint key, in byte iv, int encrypt);

    /// <summary><c>EVP_CipherUpdate</c>; with GCM a null output feeds associated data.</summary>
    [DllImport(Library, EntryPoint = "EVP_CipherUpdate")]
    public static extern int Update(CipherContext context, ref byte output, out int outputLength, in byte input, int inputLength);

    [DllImport(Library, EntryPoint = "EVP_CipherUpdate")]
    public static extern int UpdateAad(CipherContext context, nint output, out int outputLength, in byte input, int inputLength);

    /// <summary><c>EVP_CipherFinal_ex</c>: for a GCM decryption, 0 when the tag does not verify.</summary>
    [DllImport(Library, EntryPoint = "EVP_CipherFinal_ex")]
    public static extern int Final(CipherContext context, ref byte output, out int outputLength);

    [DllImport(Library, EntryPoint = "EVP_CIPHER_CTX_ctrl")]
    private static extern int Control(CipherContext context, int type, int argument, ref byte pointer);

    public static int GetGcmTag(CipherContext context, Span<byte> tag) =>
        Control(context, GcmGetTag, tag.Length, ref MemoryMarshal.GetReference(tag));

    public static int SetGcmTag(CipherContext context, Span<byte> tag) =>
        Control(context, GcmSetTag, tag.Length, ref MemoryMarshal.GetReference(tag));

    [DllImport(Library, EntryPoint = "ERR_clear_error")]
    public static extern void ClearErrors();

    [DllImport(Library, EntryPoint = "SHA1_Init")]
    public static extern int Sha1Init(nint state);

    [DllImport(Library, EntryPoint = "SHA1_Update")]
    public static extern int Sha1Update(nint state, in byte data, nuint length);

    [DllImport(Library, EntryPoint = "SHA1_Final")]
    public static extern int Sha1Final(ref byte digest, nint state);

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad(Library, out var handle))
        {
            return false;
        }

        string[] needed =
        [
            "EVP_CIPHER_CTX_new", "EVP_CIPHER_CTX_free", "EVP_CipherInit_ex", "EVP_CipherUpdate", "EVP_CipherFinal_ex",
            "EVP_CIPHER_CTX_ctrl", "EVP_aes_128_ctr", "EVP_aes_256_ctr", "EVP_aes_128_gcm", "EVP_aes_256_gcm",
            "ERR_clear_error", "SHA1_Init", "SHA1_Update", "SHA1_Final",
        ];
        return needed.All(name => NativeLibrary.TryGetExport(handle, name, out _));
    }

    /// <summary>An <c>EVP_CIPHER_CTX</c>; freeing it (OpenSSL cleanses it) also happens if a context is never disposed.</summary>
    internal sealed class CipherContext() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
    {
        protected override bool ReleaseHandle()
        {
            FreeCipherContext(handle);
            return true;
        }
    }
}
