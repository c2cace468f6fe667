namespace HostedPbx.Provisioning.Features.Vendors;

/// <summary>A daylight-saving change on a Sunday: <paramref name="Week"/> 1-4 counts Sundays in the month, -1 is the last one.</summary>
internal readonly record struct DaylightTransition(int Month, int Week, int LocalHour);
