namespace HostedPbx.Data.Recordings;

/// <summary>A link of a tenant's chain whose audio was deleted under retention: its signed manifest stays, so the chain holds.</summary>
public sealed record RecordingDeletion(long ChainIndex, Guid RecordingId, DateTimeOffset DeletedAt, string Detail = RecordingDeletion.UnderRetention)
{
    public const string UnderRetention = "deleted under retention";
}
