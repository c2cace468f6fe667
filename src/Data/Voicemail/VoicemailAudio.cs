using System.Security.Cryptography;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Media;

namespace HostedPbx.Data.Voicemail;

/// <summary>
/// Opens and writes the sealed audio of messages and greetings: the data key is unwrapped with the master key for the
/// row's purpose, used, and zeroed. Audio is only ever streamed decrypted, never written decrypted to disk.
/// </summary>
public sealed class VoicemailAudio(VoicemailFiles files, KeyProtector protector)
{
    /// <exception cref="SealedAudioException">The file is missing, is not sealed audio, or its key does not open it.</exception>
    public SealedAudioReader OpenMessage(VoicemailMessage message) =>
        Open(message.StoragePath, message.WrappedDataKey, KeyPurpose.Voicemail(message.Id));

    /// <summary>
    /// The message as a seekable WAV stream, after every segment was authenticated and the audio's SHA-256 matched the
    /// row's: a damaged or swapped file is refused before a byte is served, never cut off halfway through.
    /// </summary>
    /// <exception cref="SealedAudioException">The audio is missing, does not open, or fails verification.</exception>
    public Stream OpenVerifiedWav(VoicemailMessage message)
    {
        using var reader = OpenMessage(message);
        if (!string.Equals(reader.ComputeSha256Hex(), message.AudioSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new SealedAudioException("The audio does not match the SHA-256 recorded for the message.");
        }

        return reader.OpenWav();
    }

    /// <exception cref="SealedAudioException">The file is missing, is not sealed audio, or its key does not open it.</exception>
    public SealedAudioReader OpenGreeting(VoicemailGreeting greeting) =>
        Open(greeting.StoragePath, greeting.WrappedDataKey, KeyPurpose.VoicemailGreeting(greeting.Id));

    /// <summary>
    /// Seals 8 kHz mono PCM as the greeting's file (a new file: it fails if one is there) and returns the wrapped data
    /// key for the row. On any failure the file is removed, so nothing half-written stays.
    /// </summary>
    public byte[] SealGreeting(VoicemailGreeting greeting, ReadOnlySpan<byte> pcm)
    {
        var key = SealedAudio.NewDataKey();
        var path = files.FullPath(greeting.StoragePath);
        try
        {
            using (var writer = SealedAudioWriter.Create(path, key, AudioFormat.Mono8k))
            {
                writer.Write(pcm);
                writer.Complete();
            }

            return protector.Protect(key, KeyPurpose.VoicemailGreeting(greeting.Id));
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private SealedAudioReader Open(string storagePath, byte[] wrappedKey, string purpose)
    {
        byte[] key;
        try
        {
            key = protector.Unprotect(wrappedKey, purpose);
        }
        catch (KeyProtectionException e)
        {
            throw new SealedAudioException("The audio's key does not open: it was altered or wrapped by another master key.", e);
        }

        try
        {
            return SealedAudioReader.Open(files.FullPath(storagePath), key);
        }
        catch (FileNotFoundException e)
        {
            throw new SealedAudioException("The audio file is missing.", e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new SealedAudioException("The audio file is missing.", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
