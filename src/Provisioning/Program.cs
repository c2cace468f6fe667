using HostedPbx.Data.Hosting;
using HostedPbx.Provisioning;
using HostedPbx.Provisioning.Security;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddProvisioningServices();
var app = builder.Build();
app.UseExceptionHandler();
app.UseMiddleware<BodySizeLimit>();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseMiddleware<TenantAccessFilter>();
app.MapHealthChecks("/health");
app.MapOpenApi("/openapi/{documentName}.json");
app.MapManagementApi();
return await PartRunner.RunAsync(app, "provisioning");
public partial class Program;
