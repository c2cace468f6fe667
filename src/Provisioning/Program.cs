using HostedPbx.Data.Hosting;
using HostedPbx.Provisioning;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddProvisioningServices();
var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapHealthChecks("/health");
return await PartRunner.RunAsync(app, "provisioning");
