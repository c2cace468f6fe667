namespace HostedPbx.Provisioning.Features.Vendors;

// A daylight-saving change on a Sunday: Week 1-4 counts Sundays in the month, -1 is the last one.
internal readonly record struct DaylightTransition(int Month, int Week, int LocalHour);
