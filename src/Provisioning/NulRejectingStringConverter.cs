using System.Text.Json;
using System.Text.Json.Serialization;

namespace HostedPbx.Provisioning;

/// <summary>
/// Reads JSON strings as usual but refuses one holding a NUL character (PostgreSQL cannot store it), which turns the
/// request into a 400 problem rather than a database error. Writing is unchanged.
/// </summary>
internal sealed class NulRejectingStringConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        return value?.Contains('\0', StringComparison.Ordinal) == true ? throw new JsonException("Text may not contain the NUL character.") : value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}
