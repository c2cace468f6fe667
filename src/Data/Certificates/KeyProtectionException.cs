using System.Security.Cryptography;

namespace HostedPbx.Data.Certificates;

/// <summary>A protected key could not be opened: wrong master key, wrong purpose, or the blob was altered.</summary>
public sealed class KeyProtectionException : CryptographicException
{
    public KeyProtectionException()
    {
    }

    public KeyProtectionException(string message)
        : base(message)
    {
    }

    public KeyProtectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
