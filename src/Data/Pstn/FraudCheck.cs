using HostedPbx.Data.Entities;

namespace HostedPbx.Data.Pstn;

/// <summary>The facts the toll-fraud decision needs about one outbound attempt and the tenant's recent external calls.</summary>
public sealed record FraudCheck(PstnSettings Settings, OutboundDestination Destination, int ActiveExternalCalls, double MinutesThisHour,
    double MinutesToday, int RecentInternationalAttempts);
