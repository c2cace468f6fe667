using HostedPbx.Data.Entities;

namespace HostedPbx.Data.Recordings;

/// <summary>
/// What a compliance officer searches recordings by (issue 10 item 6): the time the recording started, a party (caller
/// or callee), the call's direction, the shortest duration and the policy. The API and the portal filter with this one.
/// </summary>
public sealed record RecordingSearch(DateTimeOffset? From = null, DateTimeOffset? To = null, string? Party = null, CallType? Direction = null,
    int? MinSeconds = null, Guid? PolicyId = null)
{
    public IQueryable<Recording> Apply(IQueryable<Recording> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (From is { } since)
        {
            query = query.Where(r => r.StartedAt >= since);
        }

        if (To is { } until)
        {
            query = query.Where(r => r.StartedAt < until);
        }

        if (!string.IsNullOrWhiteSpace(Party))
        {
            var party = Party.Trim();
            query = query.Where(r => r.CallRecord!.FromParty == party || r.CallRecord.ToParty == party);
        }

        if (Direction is { } direction)
        {
            query = query.Where(r => r.CallRecord!.Type == direction);
        }

        if (MinSeconds is { } seconds)
        {
            query = query.Where(r => r.DurationMs >= seconds * 1000);
        }

        if (PolicyId is { } policy)
        {
            query = query.Where(r => r.RecordingPolicyId == policy);
        }

        return query;
    }
}
