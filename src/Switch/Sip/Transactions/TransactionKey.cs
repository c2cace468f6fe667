using System.Text;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Sip.Transactions;

/// <summary>
/// Identifies a transaction (RFC 3261 §17.1.3, §17.2.3): the top Via branch, the sent-by (server side only) and the method.
/// ACK maps to INVITE so an ACK for a non-2xx final response finds its INVITE server transaction; CANCEL keeps its own method.
/// </summary>
public readonly record struct TransactionKey(string Branch, string SentBy, string Method)
{
    /// <summary>
    /// The key of the server transaction a request belongs to. False when the top Via is missing or its branch lacks the
    /// RFC 3261 magic cookie: RFC 2543 matching is not supported, the request is answered 400 statelessly (RFC 4475 §3.2.1).
    /// </summary>
    public static bool TryCreateServerKey(SipRequest request, out TransactionKey key)
    {
        ArgumentNullException.ThrowIfNull(request);
        key = default;
        if (!request.TryGetTopVia(out var via) || !via.HasRfc3261Branch)
        {
            return false;
        }

        // RFC 3261 §17.2.3: the method matches, except ACK, which matches the INVITE that created the transaction.
        var method = request.Method == SipMethod.Ack ? "INVITE" : request.MethodName;
        key = new TransactionKey(Encoding.UTF8.GetString(via.Branch), FormatSentBy(via), method);
        return true;
    }

    /// <summary>The key of a client transaction, from our own request or from a response to it (branch + CSeq method, §17.1.3).</summary>
    public static bool TryCreateClientKey(SipMessage message, out TransactionKey key)
    {
        ArgumentNullException.ThrowIfNull(message);
        key = default;
        if (!message.TryGetTopVia(out var via) || via.Branch.IsEmpty || !message.TryGetCSeq(out var cseq))
        {
            return false;
        }

        var method = SipMethods.ToString(SipMethods.Parse(cseq.Method), cseq.Method);
        key = new TransactionKey(Encoding.UTF8.GetString(via.Branch), string.Empty, method);
        return true;
    }

    /// <summary>A new branch for a request we send: the RFC 3261 §8.1.1.7 magic cookie plus 64 random bits.</summary>
    public static string CreateBranch()
    {
        Span<byte> random = stackalloc byte[8];
        System.Security.Cryptography.RandomNumberGenerator.Fill(random);
        return "z9hG4bK" + Convert.ToHexStringLower(random);
    }

    /// <summary>The key of the INVITE server transaction a CANCEL refers to (RFC 3261 §9.2: same key but the method).</summary>
    public TransactionKey ForCancelledInvite() => this with { Method = "INVITE" };

    private static string FormatSentBy(ViaHeader via)
    {
        // Host names compare case-insensitively; the port is kept as written (absent stays absent).
        var host = Encoding.UTF8.GetString(via.Host).ToLowerInvariant();
        return via.Port < 0 ? host : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{host}:{via.Port}");
    }
}
