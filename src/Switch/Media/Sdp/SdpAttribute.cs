namespace HostedPbx.Switch.Media.Sdp;

/// <summary>An "a=" line: a property attribute (no value) or a value attribute (RFC 8866 §5.13).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "\"Attribute\" is the RFC 8866 name of an a= line.")]
public readonly record struct SdpAttribute(string Name, string? Value = null)
{
    public override string ToString() => Value is null ? Name : $"{Name}:{Value}";

    /// <summary>Splits "name:value" at the first colon; "name" alone is a property attribute.</summary>
    public static SdpAttribute Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? new SdpAttribute(text) : new SdpAttribute(text[..colon], text[(colon + 1)..]);
    }
}
