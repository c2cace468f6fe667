using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Media.Sdp;

/// <summary>An offer the switch made, with the crypto lines (and so the keys) it offered, kept until the answer comes.</summary>
public sealed record SdesOffer(SessionDescription Offer, IReadOnlyList<SdesCryptoAttribute> Cryptos);
