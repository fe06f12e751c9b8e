using SeedMcp.AppHost;
using SeedMcp.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);

var infrastructure = await InfrastructurePlan.ResolveAsync(builder);
builder.LogInfrastructurePlan(infrastructure);

var cache = builder.AddCache(infrastructure);
var jaeger = builder.AddJaeger(infrastructure);

builder.AddProject<Projects.SeedMcp_Server>(ResourceNames.Server, launchProfileName: "http")
    .WithHttpHealthCheck("/health")
    .WithConfiguredReplicas(builder.Configuration, infrastructure)
    .WithCache(cache)
    .WithJaeger(jaeger)
    .WithAuth();

builder.Build().Run();
