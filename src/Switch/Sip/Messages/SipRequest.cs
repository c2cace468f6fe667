using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Sip.Messages;

public sealed partial class SipRequest : SipMessage
{
    private readonly Range _method;
    private readonly Range _requestUri;

    internal SipRequest(byte[] buffer, HeaderEntry[] headers, int headerCount, Range body, Range method, Range requestUri)
        : base(buffer, headers, headerCount, body)
    {
        _method = method;
        _requestUri = requestUri;
        Method = SipMethods.Parse(MethodToken);
    }

    public SipMethod Method { get; }

    /// <summary>The method as written (needed for extension methods, where <see cref="Method"/> is Unknown).</summary>
    public ReadOnlySpan<byte> MethodToken => Slice(_method);

    public ReadOnlySpan<byte> RequestUri => Slice(_requestUri);

    public string MethodName => SipMethods.ToString(Method, MethodToken);

    /// <summary>"METHOD request-uri", for logs.</summary>
    public override string ToString() => $"{MethodName} {System.Text.Encoding.UTF8.GetString(RequestUri)}";
}
