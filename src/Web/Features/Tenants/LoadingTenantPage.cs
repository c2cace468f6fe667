using Microsoft.AspNetCore.Components;

namespace HostedPbx.Web.Features.Tenants;

/// <summary>
/// A tenant page that loads its own data after <see cref="TenantGate"/> has found the tenant. Until that load is done the
/// gate shows "Loading…" in its place (pass <see cref="Ready"/> to it): the gate would otherwise show the page's form with
/// its blank defaults, and what someone typed there would be replaced by the loaded values a moment later, or the
/// defaults saved over the real settings.
/// </summary>
public abstract class LoadingTenantPage : ComponentBase
{
    /// <summary>Whether the page's data for its current parameters has loaded.</summary>
    protected bool Ready { get; private set; }

    protected sealed override async Task OnParametersSetAsync()
    {
        Ready = false;
        await LoadPageAsync();
        Ready = true;
    }

    /// <summary>Loads what the page shows for its current parameters.</summary>
    protected abstract Task LoadPageAsync();
}
