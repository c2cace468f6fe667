using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HostedPbx.Data.Entities;

namespace HostedPbx.Data.Recordings;

/// <summary>
/// What a recording is evidence of (issue 10 item 4): the call, tenant, parties, times, policy, pauses, the SHA-256 of
/// the audio and the hash of the tenant's previous manifest. Serialized once, in a fixed field order, to the exact
/// UTF-8 bytes that are hashed, signed and stored; a verifier reads those bytes back, never a re-serialization.
/// </summary>
public sealed record RecordingManifest
{
    public const int FormatVersion = 1;

    public required Guid RecordingId { get; init; }
    public required Guid TenantId { get; init; }
    public required Guid CallId { get; init; }
    public required long ChainIndex { get; init; }
    public required string FromParty { get; init; }
    public required string ToParty { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset EndedAt { get; init; }
    public required long DurationMs { get; init; }
    public Guid? PolicyId { get; init; }
    public string? PolicyName { get; init; }
    public RecordingMode PolicyMode { get; init; }
    public IReadOnlyList<RecordingPause> Pauses { get; init; } = [];
    public required string AudioSha256 { get; init; }
    public required long AudioSizeBytes { get; init; }
    public bool CutShort { get; init; }
    public long DroppedMs { get; init; }
    public string? PreviousManifestSha256 { get; init; }
    public required Guid SigningKeyId { get; init; }

    public byte[] ToUtf8Json()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("version", FormatVersion);
            json.WriteString("recordingId", RecordingId);
            json.WriteString("tenantId", TenantId);
            json.WriteString("callId", CallId);
            json.WriteNumber("chainIndex", ChainIndex);
            json.WriteString("from", FromParty);
            json.WriteString("to", ToParty);
            json.WriteString("startedAt", Timestamp(StartedAt));
            json.WriteString("endedAt", Timestamp(EndedAt));
            json.WriteNumber("durationMs", DurationMs);
            json.WriteStartObject("policy");
            WriteNullable(json, "id", PolicyId?.ToString("D"));
            WriteNullable(json, "name", PolicyName);
            json.WriteString("mode", PolicyMode.ToString());
            json.WriteEndObject();
            json.WriteStartArray("pauses");
            foreach (var pause in Pauses)
            {
                json.WriteStartObject();
                json.WriteNumber("startMs", (long)pause.Start.TotalMilliseconds);
                json.WriteNumber("endMs", (long)pause.End.TotalMilliseconds);
                json.WriteString("pausedBy", pause.PausedBy);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("audio");
            json.WriteString("format", "PCM 16-bit 8000 Hz stereo (caller left, callee right)");
            json.WriteString("sha256", AudioSha256);
            json.WriteNumber("sizeBytes", AudioSizeBytes);
            json.WriteBoolean("cutShort", CutShort);
            json.WriteNumber("droppedMs", DroppedMs);
            json.WriteEndObject();
            WriteNullable(json, "previousManifestSha256", PreviousManifestSha256);
            json.WriteString("signingKeyId", SigningKeyId);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static string Sha256Hex(string manifest) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(manifest)));

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
