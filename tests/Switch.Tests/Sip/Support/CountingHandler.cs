using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Tests.Sip.Support;

/// <summary>Counts every callback, to prove the parser reported nothing.</summary>
internal sealed class CountingHandler : ISipMessageHandler
{
    public int Calls { get; private set; }

    public void OnMessageBegin(int length) => Calls++;

    public void OnRequestLine(ReadOnlySpan<byte> method, ReadOnlySpan<byte> requestUri) => Calls++;

    public void OnStatusLine(int statusCode, ReadOnlySpan<byte> reasonPhrase) => Calls++;

    public void OnHeader(KnownHeader header, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => Calls++;

    public void OnBody(ReadOnlySpan<byte> body) => Calls++;

    public void OnMessageEnd() => Calls++;

    public void OnKeepAlive() => Calls++;
}
