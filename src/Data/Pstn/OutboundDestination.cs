namespace HostedPbx.Data.Pstn;

/// <summary>
/// A dialled string read with the tenant's country rules: an emergency number (sent to the carrier as dialled, the
/// form carriers route to the local emergency centre), or an E.164 number and whether it leaves the tenant's country.
/// </summary>
public sealed record OutboundDestination(DialledKind Kind, string Dialled, string Number, bool International)
{
    public static OutboundDestination Classify(string dialled, CountryDialPlan plan)
    {
        ArgumentNullException.ThrowIfNull(dialled);
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.IsEmergency(dialled))
        {
            return new(DialledKind.Emergency, dialled, dialled, false);
        }

        if (!PhoneNumber.TryNormalise(dialled, plan, out var e164))
        {
            return new(DialledKind.Invalid, dialled, "", false);
        }

        var international = !CountryDialPlan.CountriesOf(e164).Contains(plan.Iso, StringComparer.Ordinal);
        return new(DialledKind.External, dialled, e164, international);
    }
}
