using Hangfire.Dashboard;
using HostedPbx.Data.Entities;

namespace HostedPbx.Web.Jobs;

/// <summary>The Hangfire dashboard shows jobs of every tenant and can trigger them: operators only.</summary>
internal sealed class OperatorDashboardAuthorization : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) =>
        context.GetHttpContext().User.IsInRole(nameof(PortalRole.Operator));
}
