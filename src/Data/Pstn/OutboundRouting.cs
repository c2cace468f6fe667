using HostedPbx.Data.Entities;

namespace HostedPbx.Data.Pstn;

/// <summary>Which of a tenant's routes a destination takes: the enabled route of lowest priority whose pattern matches.</summary>
public static class OutboundRouting
{
    public static OutboundRoute? Select(IEnumerable<OutboundRoute> routes, OutboundDestination destination)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.Kind == DialledKind.Invalid)
        {
            return null;
        }

        foreach (var route in routes.Where(r => r.Enabled).OrderBy(r => r.Priority))
        {
            // A pattern that no longer parses (hand-written SQL) matches nothing rather than everything.
            if (DialPattern.TryParse(route.Pattern, out var pattern, out _) && pattern!.Matches(destination.Dialled, destination.Number))
            {
                return route;
            }
        }

        return null;
    }

    /// <summary>
    /// An emergency call takes the route its own country's numbers take (its digits matched as if they were a national
    /// number, <c>+49112</c>), else the first enabled route of the tenant: it must reach a carrier whatever the patterns say.
    /// </summary>
    public static OutboundRoute? SelectForEmergency(IEnumerable<OutboundRoute> routes, OutboundDestination destination, CountryDialPlan plan)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(plan);
        var list = routes.Where(r => r.Enabled).OrderBy(r => r.Priority).ToList();
        var national = destination with { Number = "+" + plan.CallingCode + destination.Dialled };
        return Select(list, national) ?? list.FirstOrDefault();
    }
}
