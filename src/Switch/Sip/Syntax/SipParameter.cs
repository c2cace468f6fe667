namespace HostedPbx.Switch.Sip.Syntax;

/// <summary>One <c>;name[=value]</c> parameter; a view over the message buffer.</summary>
public readonly ref struct SipParameter(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool hasValue)
{
    public ReadOnlySpan<byte> Name { get; } = name;

    public ReadOnlySpan<byte> Value { get; } = value;

    public bool HasValue { get; } = hasValue;
}
