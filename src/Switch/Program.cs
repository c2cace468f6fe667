using HostedPbx.Data.Hosting;
using HostedPbx.Data.Observability;
using HostedPbx.Switch;

// The switch is a worker; its only HTTP is the loopback admin port (health), bound in appsettings.json.
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddSwitchServices();
var app = builder.Build();
app.UsePbxMetrics();
app.MapHealthChecks("/health");
return await PartRunner.RunAsync(app, "switch");
