namespace HostedPbx.Provisioning.Features.Vendors;

/// <summary>An extension bound to a handset: <paramref name="Position"/> 1 is the first line key.</summary>
public sealed record HandsetLine(int Position, string Number, string DisplayName);
