using System.Buffers;

namespace HostedPbx.Switch.Sip.Syntax;

/// <summary>
/// Enumerates a parameter list such as <c>;branch=z9hG4bK1;rport</c>.
/// Header form (RFC 3261 §25.1 generic-param): SEMI = SWS ";" SWS, EQUAL = SWS "=" SWS, gen-value = token / host / quoted-string.
/// URI form (§19.1.1 uri-parameters): no LWS, no quotes, paramchar only.
/// A malformed list stops the enumeration and sets <see cref="IsInvalid"/>.
/// </summary>
public ref struct SipParameters
{
    private ReadOnlySpan<byte> _remaining;
    private readonly bool _uriForm;

    public SipParameters(ReadOnlySpan<byte> parameters, bool uriForm = false)
    {
        _uriForm = uriForm;
        _remaining = uriForm ? parameters : SipGrammar.TrimLws(parameters);
        IsInvalid = !_remaining.IsEmpty && _remaining[0] != ';';
        Current = default;
    }

    public SipParameter Current { get; private set; }

    public bool IsInvalid { get; private set; }

    public readonly SipParameters GetEnumerator() => this;

    public bool MoveNext()
    {
        if (IsInvalid || _remaining.IsEmpty)
        {
            return false;
        }

        // _remaining starts with ';'
        var rest = _remaining[1..];
        var end = FindSeparator(rest);
        if (end < 0)
        {
            IsInvalid = true;
            return false;
        }

        var element = rest[..end];
        _remaining = end < rest.Length ? rest[end..] : default;

        var equals = element.IndexOf((byte)'=');
        var name = equals < 0 ? element : element[..equals];
        var value = equals < 0 ? default : element[(equals + 1)..];
        if (!_uriForm)
        {
            name = SipGrammar.TrimLws(name);
            value = SipGrammar.TrimLws(value);
        }

        if (!IsValidName(name) || (equals >= 0 && !IsValidValue(value)))
        {
            IsInvalid = true;
            return false;
        }

        Current = new SipParameter(name, value, equals >= 0);
        return true;
    }

    /// <summary>Finds a parameter by case-insensitive name (RFC 3261 §7.3.1 / §19.1.4).</summary>
    public static bool TryGet(ReadOnlySpan<byte> parameters, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value, bool uriForm = false)
    {
        foreach (var parameter in new SipParameters(parameters, uriForm))
        {
            if (SipGrammar.EqualsIgnoreCase(parameter.Name, name))
            {
                value = parameter.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>True when the whole list is well formed.</summary>
    public static bool IsValid(ReadOnlySpan<byte> parameters, bool uriForm = false)
    {
        var enumerator = new SipParameters(parameters, uriForm);
        while (enumerator.MoveNext())
        {
        }

        return !enumerator.IsInvalid;
    }

    private readonly int FindSeparator(ReadOnlySpan<byte> rest)
    {
        for (var i = 0; i < rest.Length; i++)
        {
            var c = rest[i];
            if (c == ';')
            {
                return i;
            }

            if (c == '"' && !_uriForm)
            {
                var quoteEnd = SipGrammar.FindQuoteEnd(rest, i);
                if (quoteEnd < 0)
                {
                    return -1;
                }

                i = quoteEnd;
            }
        }

        return rest.Length;
    }

    private readonly bool IsValidName(ReadOnlySpan<byte> name) =>
        _uriForm ? !name.IsEmpty && SipUriCharacters.IsParam(name) : SipGrammar.IsToken(name);

    private readonly bool IsValidValue(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        if (_uriForm)
        {
            return SipUriCharacters.IsParam(value);
        }

        if (value[0] == '"')
        {
            return SipGrammar.FindQuoteEnd(value, 0) == value.Length - 1;
        }

        if (value[0] == '[')
        {
            // An IPv6 reference as a gen-value, e.g. received=[2001:db8::1].
            return value[^1] == ']';
        }

        // via-received takes a bare IPv6address (RFC 3261 §25.1), which is not a token because of its colons.
        return SipGrammar.IsToken(value) || IsBareIPv6(value);
    }

    private static readonly SearchValues<byte> s_ipv6 = SearchValues.Create("0123456789abcdefABCDEF:."u8);

    private static bool IsBareIPv6(ReadOnlySpan<byte> value) => value.Contains((byte)':') && value.IndexOfAnyExcept(s_ipv6) < 0;
}
