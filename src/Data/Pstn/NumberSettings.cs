using System.ComponentModel.DataAnnotations;

namespace HostedPbx.Data.Pstn;

/// <summary>A public number of the tenant (E.164), the extension it rings, and the trunk it arrives on (any of the tenant's when null).</summary>
public sealed record NumberSettings([Required] string Number, Guid DestinationExtensionId, Guid? TrunkId = null);
