using HostedPbx.Provisioning.Security;

namespace HostedPbx.Provisioning.Features.Tenants;

internal static class TenantEndpoints
{
    public static RouteGroupBuilder MapTenantsApi(this RouteGroupBuilder api)
    {
        var tenants = api.MapGroup("/tenants").WithTags("Tenants");
        tenants.MapGet("/", ListTenants.HandleAsync).WithName(nameof(ListTenants));
        tenants.MapPost("/", CreateTenant.HandleAsync).WithName(nameof(CreateTenant));
        var tenant = tenants.MapGroup("/{tenantId:guid}").WithMetadata(new TenantRoute());
        tenant.MapGet("/", GetTenant.HandleAsync).WithName(nameof(GetTenant));
        tenant.MapPut("/", UpdateTenant.HandleAsync).WithName(nameof(UpdateTenant));
        return tenant;
    }
}
