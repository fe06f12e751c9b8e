using SeedMcp.Server.Mcp;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSeedMcp();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapSeedMcp();

app.Run();
