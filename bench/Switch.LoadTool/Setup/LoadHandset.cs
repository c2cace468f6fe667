using HostedPbx.Data.Certificates;

namespace HostedPbx.Switch.LoadTool.Setup;

/// <summary>One seeded handset: its extension number, its MAC, and its own certificate (with key and chain).</summary>
internal sealed record LoadHandset(string Number, string Mac, IssuedCertificate Certificate);
