using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Media.Sdp;

public static partial class SdesOfferAnswer
{
    /// <summary>
    /// Answers a peer's offer (RFC 3264 §6): takes the first audio stream, picks the first a=crypto line in offer order
    /// whose suite the tenant allows, answers it with the same tag and fresh keys (RFC 4568 §7.1.2), keeps the codecs we
    /// relay, mirrors the direction and accepts rtcp-mux. Other streams are refused with port 0.
    /// </summary>
    public static NegotiationResult Answer(SessionDescription offer, LocalMediaOptions local)
    {
        var audioIndex = offer.Media.FindIndex(media => media.IsAudio && media.Port != 0);
        if (audioIndex < 0)
        {
            return NegotiationResult.NotAcceptable("the offer has no audio stream", "No audio stream");
        }

        var audio = offer.Media[audioIndex];
        if (ProtocolProblem(audio) is { } protocolProblem)
        {
            return NegotiationResult.NotAcceptable(protocolProblem, ProtocolPhrase(audio));
        }

        if (offer.ConnectionOf(audio) is not { } connection)
        {
            return NegotiationResult.NotAcceptable("the offer has no c= line for its audio stream", "No connection address");
        }

        var (remoteCrypto, cryptoProblem) = ChooseCrypto(audio, local.Suites);
        if (remoteCrypto is null)
        {
            return NegotiationResult.NotAcceptable(cryptoProblem!, "No acceptable SRTP crypto suite");
        }

        var (codecs, telephoneEvent) = MatchCodecs(audio, local.Codecs);
        if (codecs.Count == 0)
        {
            return NegotiationResult.NotAcceptable("no common audio codec (PCMU or PCMA)", "No common codec, PCMU or PCMA");
        }

        var rtcpMux = local.RtcpMux && audio.RtcpMux;
        var direction = Intersect(Reverse(offer.DirectionOf(audio)), local.Direction);
        var localCrypto = SdesCryptoAttribute.Generate(remoteCrypto.Tag, remoteCrypto.Suite);
        var answer = OurSession(local);
        for (var i = 0; i < offer.Media.Count; i++)
        {
            var offered = offer.Media[i];
            answer.Media.Add(i == audioIndex
                ? OurAudio(audio.Protocol, local, codecs, telephoneEvent, telephoneEvent is null ? null : audio.FmtpOf(telephoneEvent.PayloadType),
                    audio.FmtpOf, rtcpMux, direction, audio.Ptime, [localCrypto])
                // RFC 3264 §6: a refused stream keeps its place, with port 0.
                : new MediaDescription { Media = offered.Media, Port = 0, Protocol = offered.Protocol, Formats = [.. offered.Formats] });
        }

        return new NegotiationResult
        {
            Answer = answer,
            Media = new NegotiatedMedia
            {
                Suite = remoteCrypto.Suite,
                RemoteCrypto = remoteCrypto,
                LocalCrypto = localCrypto,
                RemoteAddress = connection.Address,
                RemoteRtpPort = audio.Port,
                RemoteRtcpPort = RemoteRtcpPort(audio, rtcpMux),
                RtcpMux = rtcpMux,
                Direction = direction,
                Codecs = codecs,
                TelephoneEventPayloadType = telephoneEvent?.PayloadType,
                Ptime = audio.Ptime,
            },
        };
    }

    /// <summary>RFC 4568 §7.1.2: the first acceptable line in the offerer's order; the tenant's list only filters.</summary>
    private static (SdesCryptoAttribute? Crypto, string? Problem) ChooseCrypto(MediaDescription audio, IReadOnlyList<SrtpSuite> allowed)
    {
        var problems = new List<string>();
        foreach (var value in audio.CryptoValues)
        {
            if (!SdesCryptoAttribute.TryParse(value, out var crypto, out var problem))
            {
                problems.Add(problem);
            }
            else if (!allowed.Contains(crypto.Suite))
            {
                problems.Add($"crypto suite {SrtpSuiteProfile.NameOf(crypto.Suite)} is not allowed");
            }
            else
            {
                return (crypto, null);
            }
        }

        return problems.Count == 0
            ? (null, "the offer has no a=crypto line")
            : (null, "no acceptable a=crypto line: " + string.Join("; ", problems));
    }
}
