using System.Text.Json;
using System.Text.Json.Serialization;

namespace HostedPbx.Data.Devices;

/// <summary>Writes the canonical 12-digit form; reads any form <see cref="MacAddress.TryParse(ReadOnlySpan{char}, out MacAddress, out string?)"/> accepts.</summary>
public sealed class MacAddressJsonConverter : JsonConverter<MacAddress>
{
    public override MacAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException(MacAddress.LengthError);
        }

        return MacAddress.TryParse(reader.GetString(), out var mac, out var error) ? mac : throw new JsonException(error);
    }

    public override void Write(Utf8JsonWriter writer, MacAddress value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }
}
