namespace HostedPbx.Provisioning.Features.Vendors;

/// <summary>One rendered provisioning file, served as <c>/provision/{Name}</c>.</summary>
public sealed record HandsetFile(string Name, string ContentType, ReadOnlyMemory<byte> Content);
