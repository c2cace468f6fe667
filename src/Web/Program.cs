using HostedPbx.Data.Hosting;
using HostedPbx.Web;
using HostedPbx.Web.Components;
using HostedPbx.Web.Jobs;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddWebServices();
var app = builder.Build();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
    app.UseHsts();
}

app.UseAntiforgery();
app.MapStaticAssets();
app.MapHealthChecks("/health");
app.MapPbxJobsDashboard();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
return await PartRunner.RunAsync(app, "web");
