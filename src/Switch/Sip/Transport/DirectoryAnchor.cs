using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Certificates;

namespace HostedPbx.Switch.Sip.Transport;

/// <summary>A trust anchor on record, with where its devices carry their MAC.</summary>
internal sealed record DirectoryAnchor(string Name, X509Certificate2 Certificate, MacLocation MacLocation);
