using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SeedMcp.Client;
using SeedMcp.ServiceDefaults;

// A small traced MCP client: started from the dashboard (explicit start), it runs one scenario and exits.
var builder = Host.CreateApplicationBuilder(args);

// The scenario first: its span correction is then registered ahead of the exporter ServiceDefaults adds.
builder.AddClientScenario();
builder.AddServiceDefaults();

using var host = builder.Build();
await host.StartAsync();
var exitCode = await host.Services.GetRequiredService<ClientScenario>().RunAsync(host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
// Stopping the host flushes the spans still queued for export.
await host.StopAsync();
return exitCode;
