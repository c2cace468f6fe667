using HostedPbx.Data.Hosting;
using HostedPbx.Data.Observability;
using HostedPbx.Web;
using HostedPbx.Web.Components;
using HostedPbx.Web.Features.Account;
using HostedPbx.Web.Features.Handsets;
using HostedPbx.Web.Features.Recordings;
using HostedPbx.Web.Features.Voicemail;
using HostedPbx.Web.Jobs;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
// Outside a published folder (./pbx run, the tests) static assets come from the build's manifest, whatever the environment.
builder.WebHost.UseStaticWebAssets();
builder.AddWebServices();
var app = builder.Build();
app.UsePbxMetrics();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
    app.UseHsts();
}

app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapHealthChecks("/health");
app.MapAccountEndpoints();
app.MapCertificateDownloads();
app.MapVoicemailAudio();
app.MapRecordingFiles();
app.MapPbxJobsDashboard();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
return await PartRunner.RunAsync(app, "web");
