using SeedMcp.Server;
using SeedMcp.Server.Mcp;
using SeedMcp.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSeedMcp();

var app = builder.Build();

app.UseSeedMcpPipeline();
app.MapDefaultEndpoints();
app.MapSeedMcp();

app.Run();

