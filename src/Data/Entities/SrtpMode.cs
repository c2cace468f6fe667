namespace HostedPbx.Data.Entities;

/// <summary>Whether a trunk's media must, may or must not be SRTP.</summary>
public enum SrtpMode
{
    /// <summary>Only SRTP (RTP/SAVP with SDES keys); a carrier that answers plain RTP is refused with 488.</summary>
    Required,

    /// <summary>SRTP offered first; plain RTP accepted when the carrier cannot, and the call's statement says so.</summary>
    Preferred,

    /// <summary>Plain RTP only, for a legacy carrier the operator named.</summary>
    Off,
}
