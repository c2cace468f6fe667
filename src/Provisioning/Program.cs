using HostedPbx.Data.Hosting;
using HostedPbx.Provisioning;

var builder = WebApplication.CreateBuilder(args);
builder.AddProvisioningServices();
var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapHealthChecks("/health");
return await PartRunner.RunAsync(app, "provisioning");
