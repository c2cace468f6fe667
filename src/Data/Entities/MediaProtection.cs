namespace HostedPbx.Data.Entities;

/// <summary>How a leg's media was protected on the wire.</summary>
public enum MediaProtection
{
    Srtp,
    None,
}
