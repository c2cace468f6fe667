using HostedPbx.Data;
using HostedPbx.Web.Jobs;

namespace HostedPbx.Web;

public static class WebServices
{
    public static IHostApplicationBuilder AddWebServices(this IHostApplicationBuilder builder)
    {
        builder.AddPbxData();
        builder.AddPbxJobs();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        return builder;
    }
}
